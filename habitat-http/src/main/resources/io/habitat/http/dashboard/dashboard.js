// The live census dashboard of a habitat gateway. Plain JavaScript, no build step, no CDN.
// Data: Server-Sent Events from "events" (a census on every change, and the supervisor's events);
// when the stream is unavailable it polls "census" every second. URLs are relative, so the page
// also works behind a proxy that serves the gateway under a path. "?mode=poll" forces polling.
// Every value from the census is written with textContent, never as HTML.
(function () {
  'use strict';

  const POLL_MILLIS = 1000;
  const STREAM_RETRY_MILLIS = 5000;
  const FLASH_MILLIS = 6000;
  const MAX_BANNERS = 4;
  const MAX_LOG = 40;

  const forcePoll = new URLSearchParams(window.location.search).get('mode') === 'poll';

  const state = {
    leaders: {},       // group -> {leader, term}: the last leader this page saw
    lostAt: {},        // group -> time the page saw the group without a leader
    failovers: {},     // group@term -> banner element
    durations: {},     // group@term -> failover millis reported by a leader-changed event
    flash: {},         // group -> {member, since}
    lastJson: null,
    pollTimer: null,
    source: null,
  };

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v !== null && v !== undefined && v !== false) {
          e.setAttribute(k, v === true ? '' : String(v));
        }
      }
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function pill(value) {
    return el('span', { class: 'pill ' + value }, value);
  }

  function clock(millis) {
    return new Date(millis).toLocaleTimeString();
  }

  function setConnection(mode, text) {
    const c = $('connection');
    c.dataset.mode = mode;
    c.textContent = text;
  }

  function log(text, kind) {
    const list = $('log');
    const li = el('li', { class: kind || null });
    li.appendChild(el('span', { class: 'when' }, clock(Date.now())));
    li.appendChild(document.createTextNode(text));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_LOG) {
      list.removeChild(list.lastChild);
    }
  }

  // ---- failover detection: from successive censuses, so it works whoever this member is ----

  function watch(g) {
    const prev = state.leaders[g.group];
    if (g.leader) {
      if (prev && prev.leader !== g.leader && g.term > prev.term) {
        failover(g.group, prev.leader, g.leader, g.term);
      }
      if (!prev || prev.leader !== g.leader || prev.term !== g.term) {
        state.leaders[g.group] = { leader: g.leader, term: g.term };
      }
      delete state.lostAt[g.group];
    } else if (prev && !state.lostAt[g.group]) {
      state.lostAt[g.group] = Date.now();
      log(g.group + ': no leader (it was ' + prev.leader + ' in term ' + prev.term + '); election '
          + g.election, 'failover');
    }
  }

  function failover(group, from, to, term) {
    const key = group + '@' + term;
    if (state.failovers[key]) {
      return;
    }
    const banners = $('banners');
    for (const old of banners.children) {
      old.classList.add('old');
    }
    const banner = el('div', { class: 'banner failover', 'data-group': group, 'data-term': term });
    banner.appendChild(el('span', { class: 'when' }, clock(Date.now())));
    banner.appendChild(el('span', { class: 'text' },
        'failover: ' + from + ' -> ' + to + ' in term ' + term));
    banner.appendChild(el('span', { class: 'detail' }, group));
    banners.insertBefore(banner, banners.firstChild);
    while (banners.children.length > MAX_BANNERS) {
      banners.removeChild(banners.lastChild);
    }
    state.failovers[key] = banner;
    state.flash[group] = { member: to, since: Date.now() };
    log(group + ': failover ' + from + ' -> ' + to + ' in term ' + term, 'failover');
    showDuration(key);
  }

  function showDuration(key) {
    const banner = state.failovers[key];
    const millis = state.durations[key];
    if (banner && millis !== undefined) {
      banner.querySelector('.detail').textContent =
          key.split('@')[0] + ' · ' + millis + ' ms without a leader';
    }
  }

  // ---- rendering ----

  function render(census) {
    $('supervisor-state').textContent = census.state;
    $('updated').textContent = clock(Date.now());
    const main = $('groups');
    const cards = [];
    for (const g of census.groups) {
      watch(g);
      cards.push(card(g));
    }
    main.replaceChildren(...cards);
    if (cards.length === 0) {
      main.appendChild(el('p', { class: 'empty' }, 'this supervisor runs no service'));
    }
  }

  function fact(name, value, cls) {
    const d = el('div');
    d.appendChild(el('dt', null, name));
    d.appendChild(el('dd', { 'data-field': name, class: cls || null }, value));
    return d;
  }

  function card(g) {
    const electing = g.topology !== 'standalone';
    const section = el('section', {
      class: 'group' + (electing && !g.leader ? ' leaderless' : ''),
      'data-group': g.group,
      'data-leader': g.leader || '',
      'data-term': g.term,
    });
    const h = el('h2', null, g.group);
    h.appendChild(el('span', { class: 'topology' }, g.topology));
    section.appendChild(h);

    const facts = el('dl', { class: 'facts' });
    if (electing) {
      const prev = state.leaders[g.group];
      const none = g.leader ? null
          : (prev ? 'none (was ' + prev.leader + ')' : 'none yet');
      facts.appendChild(fact('leader', g.leader || none, g.leader ? null : 'none'));
      facts.appendChild(fact('term', g.term));
      facts.appendChild(fact('election', g.election));
    }
    const init = g.initialisation;
    facts.appendChild(fact('initialised', !init.required ? 'n/a'
        : init.initialised ? 'yes (term ' + init.term + ')' : 'no'));
    facts.appendChild(fact('config', g.configVersion > 0 ? 'version ' + g.configVersion : 'none'));
    facts.appendChild(fact('seen by', g.self + ' (' + g.role + ')'));
    if (electing) {
      facts.appendChild(fact('voters', g.voters.length ? g.voters.join(', ') : 'none yet'));
    }
    if (init.error) {
      facts.appendChild(fact('init error', init.error, 'error'));
    }
    section.appendChild(facts);

    const table = el('table', { class: 'members' });
    const head = el('tr');
    for (const c of ['member', 'role', 'state', 'health', 'suitability', 'eligible', 'voter',
      'exports', 'address']) {
      head.appendChild(el('th', null, c));
    }
    table.appendChild(el('thead')).appendChild(head);
    const body = el('tbody');
    const flash = state.flash[g.group];
    for (const m of g.members) {
      // the leader is the one this member follows (g.leader): a member's own flag may lag behind
      const isLeader = electing && m.id === g.leader;
      const role = !electing ? 'member'
          : isLeader ? 'leader'
          : m.id === g.self ? g.role : 'follower';
      const flashing = flash && flash.member === m.id && Date.now() - flash.since < FLASH_MILLIS;
      const tr = el('tr', {
        'data-member': m.id,
        class: [isLeader ? 'leader' : '', m.id === g.self ? 'self' : '', flashing ? 'flash' : '']
            .join(' ').trim() || null,
      });
      if (flashing) {
        // keep the animation's phase when the table is rebuilt
        tr.style.animationDelay = -(Date.now() - flash.since) + 'ms';
      }
      tr.appendChild(el('td', { class: 'id' }, m.id));
      tr.appendChild(el('td', { class: 'role' })).appendChild(pill(role));
      tr.appendChild(el('td', { class: 'state' })).appendChild(pill(m.state));
      tr.appendChild(el('td', { class: 'health' })).appendChild(pill(m.health));
      tr.appendChild(el('td', null, m.suitability));
      tr.appendChild(el('td', null, m.eligible ? 'yes' : 'no'));
      tr.appendChild(el('td', null, m.voter ? 'yes' : 'no'));
      const exports = Object.entries(m.exports).map(([k, v]) => k + '=' + v).join(' ');
      tr.appendChild(el('td', { class: 'exports' }, exports || '-'));
      tr.appendChild(el('td', { class: 'address' }, m.address));
      body.appendChild(tr);
    }
    table.appendChild(body);
    section.appendChild(table);
    return section;
  }

  function onCensusText(text) {
    if (text === state.lastJson) {
      return;
    }
    state.lastJson = text;
    render(JSON.parse(text));
  }

  function onEvent(e) {
    switch (e.type) {
      case 'leader-changed': {
        const key = e.group + '@' + e.term;
        if (e.leader && e.failoverMillis !== null) {
          state.durations[key] = e.failoverMillis;
          showDuration(key);
        }
        log(e.group + ': ' + (e.leader
            ? e.member + ' follows ' + e.leader + ' in term ' + e.term
                + (e.failoverMillis !== null ? ' (' + e.failoverMillis + ' ms without a leader)' : '')
            : e.member + ' lost its leader (it held term ' + e.term + ')'));
        break;
      }
      case 'leader-elected':
        log(e.group + ': ' + e.member + ' leads term ' + e.term);
        break;
      case 'leader-revoked':
        log(e.group + ': ' + e.member + ' stopped leading term ' + e.term + ': ' + e.reason);
        break;
      case 'election-lost':
        log(e.group + ': ' + e.member + ' lost its claim to term ' + e.term + ': ' + e.reason);
        break;
      case 'hook-failed':
        log(e.group + ': hook ' + e.hook + ' of ' + e.member + ' failed (' + e.error + ')', 'failover');
        break;
      case 'hook-hung':
        log(e.group + ': hook ' + e.hook + ' of ' + e.member + ' hung for ' + e.runningMillis + ' ms',
            'failover');
        break;
      default:
        log(e.group + ': ' + e.type);
    }
  }

  // ---- transport: an event stream, with polling while it is down ----

  function poll() {
    fetch('census', { cache: 'no-store' })
      .then((r) => {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.text();
      })
      .then((text) => {
        onCensusText(text);
        if (state.pollTimer !== null) {
          setConnection('polling', 'polling every ' + POLL_MILLIS / 1000 + ' s');
        }
      })
      .catch(() => setConnection('offline', 'gateway unreachable'));
  }

  function startPolling() {
    if (state.pollTimer === null) {
      state.pollTimer = setInterval(poll, POLL_MILLIS);
      poll();
    }
  }

  function stopPolling() {
    if (state.pollTimer !== null) {
      clearInterval(state.pollTimer);
      state.pollTimer = null;
    }
  }

  function stream() {
    const source = new EventSource('events');
    state.source = source;
    source.addEventListener('open', () => {
      stopPolling();
      setConnection('live', 'live');
    });
    source.addEventListener('census', (m) => onCensusText(m.data));
    source.addEventListener('habitat', (m) => onEvent(JSON.parse(m.data)));
    source.addEventListener('error', () => {
      startPolling();
      if (source.readyState === EventSource.CLOSED) {
        // refused (all streams in use) or gone for good: poll, and try the stream again later
        setTimeout(stream, STREAM_RETRY_MILLIS);
      }
    });
  }

  if (forcePoll || typeof EventSource === 'undefined') {
    startPolling();
  } else {
    stream();
  }
})();
