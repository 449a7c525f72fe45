/**
 * The code the site's pages show, compiled and run here: each example sits between {@code //
 * tag::name[]} and {@code // end::name[]}, and a page quotes it with {@code <!-- include:
 * site/src/test/java/.../File.java#name -->}. The examples use the public API only.
 */
@NullMarked
package io.habitat.site.examples;

import org.jspecify.annotations.NullMarked;
