/**
 * The documentation site's generator: renders the pages named in {@code site/src/pages/pages.list}
 * (Markdown from {@code docs/} and from {@code site/src/pages}) to static HTML with a shared
 * navigation, resolves the pages' include directives from tagged source files, rewrites their links
 * to the pages they name, and fails the build on anything it cannot resolve. {@link
 * io.habitat.site.SiteGenerator} is the entry point.
 */
@NullMarked
package io.habitat.site;

import org.jspecify.annotations.NullMarked;
