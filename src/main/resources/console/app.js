// The operator console (SPEC 10). Every figure and action is an admin API call with the token of this tab;
// everything the gateway answers is put in the page as text (textContent), never as HTML.

const TOKEN_KEY = 'buttons-gateway.admin-token';
const REFRESH_MS = 3000;
const STATUSES = ['QUEUED', 'SENDING', 'HELD', 'SCHEDULED', 'SENT', 'REJECTED', 'DUPLICATE', 'DEAD'];

const state = {
  token: null,
  stats: null,
  tab: 'overview',
  timer: null,
  busy: false,
  refreshFailed: false,
  messageFilter: {},
  detailId: null,
  deadFilter: {},
  deadTotal: 0,
  contact: null,
  sandboxContact: null,
};

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// --- the admin API ------------------------------------------------------------------------------

async function api(method, path, { token = state.token, body } = {}) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'the gateway did not answer (is it running?)');
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const message = (json && (json.error || json.message)) || text || response.statusText;
    throw new ApiError(response.status, message);
  }
  return json;
}

const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

const enc = encodeURIComponent;

// --- small helpers ------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function setText(node, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (node && node.textContent !== value) node.textContent = value;
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function timeCell(iso) {
  const td = el('td', { text: when(iso) });
  if (iso) td.title = `${iso} (UTC)`;
  return td;
}

function pill(status) {
  return el('span', { class: `pill s-${status}`, text: status });
}

function localToIso(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function ms(value) {
  if (value === null || value === undefined) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function showError(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut('The gateway refused the token (it may have changed): sign in again.');
    return;
  }
  setText($('#app-error'), error ? `${error.message}` : '');
}

/**
 * Keeps a table body (or a list) in step with items without rebuilding it: rows are keyed, existing rows are updated in place
 * (no flicker, focus stays), new ones created, gone ones removed.
 */
function syncRows(tbody, items, key, create, update) {
  const existing = new Map([...tbody.children].map((tr) => [tr.dataset.key, tr]));
  let previous = null;
  for (const item of items) {
    const k = String(key(item));
    let tr = existing.get(k);
    if (tr) {
      existing.delete(k);
      update(tr, item);
    } else {
      tr = create(item);
      tr.dataset.key = k;
      update(tr, item);
    }
    const expectedNext = previous ? previous.nextElementSibling : tbody.firstElementChild;
    if (expectedNext !== tr) tbody.insertBefore(tr, expectedNext);
    previous = tr;
  }
  for (const tr of existing.values()) tr.remove();
}

/** A bar chart of plain SVG: bars updated in place, each with its value in data-value and a tooltip. */
function barChart(container, points, label) {
  let svg = $('svg', container);
  if (!svg) {
    container.replaceChildren();
    const y = el('div', { class: 'y', 'aria-hidden': 'true' }, el('span', { class: 'y-max' }), el('span', { text: '0' }));
    svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    const x = el('div', { class: 'x', 'aria-hidden': 'true' }, el('span', { class: 'x-first' }), el('span', { class: 'x-last' }));
    container.append(y, svg, x);
  }
  const n = points.length;
  const max = Math.max(1, ...points.map((p) => p.value));
  svg.setAttribute('viewBox', `0 0 ${n * 10} 100`);
  const bars = [...svg.children];
  while (bars.length > n) bars.pop().remove();
  while (bars.length < n) {
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.append(document.createElementNS('http://www.w3.org/2000/svg', 'title'));
    svg.append(rect);
    bars.push(rect);
  }
  points.forEach((p, i) => {
    const rect = bars[i];
    const h = p.value === 0 ? 0 : Math.max(2, (p.value / max) * 98);
    rect.setAttribute('x', i * 10 + 1);
    rect.setAttribute('width', 8);
    rect.setAttribute('y', 100 - h);
    rect.setAttribute('height', h);
    rect.setAttribute('data-value', p.value);
    rect.classList.toggle('zero', p.value === 0);
    setText(rect.firstChild, `${p.label}: ${p.value}`);
  });
  container.dataset.points = String(points.filter((p) => p.value > 0).length);
  const total = points.reduce((sum, p) => sum + p.value, 0);
  svg.setAttribute('aria-label', `${label}: ${total} in all, at most ${max === 1 && total === 0 ? 0 : max} at once`);
  setText($('.y-max', container), String(max));
  setText($('.x-first', container), n ? points[0].label : '');
  setText($('.x-last', container), n ? points[n - 1].label : '');
}

// --- sign-in and sign-out -----------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  const input = $('#token');
  const token = input.value.trim();
  const error = $('#sign-in-error');
  setText(error, '');
  if (!token) {
    setText(error, 'Enter the admin token.');
    return;
  }
  const button = $('#sign-in-button');
  button.disabled = true;
  try {
    const stats = await api('GET', '/api/stats', { token });
    sessionStorage.setItem(TOKEN_KEY, token);
    input.value = '';
    start(token, stats);
  } catch (e) {
    setText(error, e.status === 401
      ? 'That token was refused (401): it is not this gateway\'s gateway.admin.token.'
      : `Could not sign in: ${e.message}`);
    input.select();
  } finally {
    button.disabled = false;
  }
}

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(state.timer);
  Object.assign(state, { token: null, stats: null, timer: null, busy: false, detailId: null, contact: null, sandboxContact: null });
  const app = $('#app');
  if (app) app.remove();
  $('#sign-out').hidden = true;
  $('#sign-in').hidden = false;
  setText($('#sign-in-error'), message);
  $('#token').focus();
}

function start(token, stats) {
  state.token = token;
  $('#sign-in').hidden = true;
  $('#sign-out').hidden = false;
  $('#main').append($('#app-template').content.cloneNode(true));
  wire();
  renderStats(stats);
  select('overview');
  refresh();
  state.timer = setInterval(refresh, REFRESH_MS);
}

// --- tabs and the refresh tick ------------------------------------------------------------------

function select(tab) {
  state.tab = tab;
  for (const button of $$('.tabs button')) {
    if (button.dataset.tab === tab) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const section of $$('.tab')) section.hidden = section.id !== `tab-${tab}`;
  setText($('#app-error'), '');
  refreshTab().catch(showError);
}

async function refresh() {
  if (state.busy || !state.token) return;
  state.busy = true;
  try {
    const stats = await api('GET', '/api/stats');
    // dead letters are read whole to be grouped: read again only when their number moved (or on an action)
    const deadMoved = stats.dead !== state.stats?.dead;
    renderStats(stats);
    if (state.tab !== 'dead' || deadMoved) await refreshTab();
    if (state.refreshFailed) setText($('#app-error'), '');
    state.refreshFailed = false;
  } catch (e) {
    state.refreshFailed = true;
    showError(e);
  } finally {
    state.busy = false;
  }
}

async function refreshTab() {
  switch (state.tab) {
    case 'overview': return refreshSentChart();
    case 'messages': return Promise.all([refreshMessages(), state.detailId ? refreshDetail() : null]);
    case 'dead': return refreshDead();
    case 'contacts': return state.contact ? refreshContact() : null;
    case 'conversations': return refreshConversations();
    case 'sandbox': return state.sandboxContact ? refreshSandboxState() : null;
    default: return null;
  }
}

// --- overview -----------------------------------------------------------------------------------

function renderStats(stats) {
  if (!stats || !$('#app')) return;
  state.stats = stats;
  const counts = stats.counts || {};
  for (const node of $$('[data-count]')) setText(node, counts[node.dataset.count] ?? 0);
  setText($('#stat-backlog'), stats.backlog);
  setText($('#stat-held'), stats.held);
  setText($('#stat-scheduled'), stats.scheduled);
  setText($('#stat-retry-waiting'), stats.retries?.waiting);
  setText($('#stat-retries'), stats.retries?.sinceStart);
  setText($('#stat-p50'), ms(stats.latency?.p50Ms));
  setText($('#stat-p95'), ms(stats.latency?.p95Ms));
  const calls = stats.latency?.calls ?? 0;
  setText($('#stat-latency-calls'), `${calls} call${calls === 1 ? '' : 's'}, last 5 min`);
  setText($('#updated'), `updated ${when(stats.at)}`);
  setText($('#dead-badge'), stats.dead ? String(stats.dead) : '');
  $('#sandbox-banner').hidden = !stats.sandbox;
  $('#sandbox-tab').hidden = !stats.sandbox;
  renderStatusOptions(Object.keys(counts));
  renderCircuit(stats.circuit || {});
  renderPaused(stats.pausedAccounts || []);
  renderAccounts(stats.accounts || [stats.defaultAccount]);
}

// SPEC 7: an outage opened the provider's circuit; a red banner until the probe gets through
function renderCircuit(circuit) {
  $('#circuit').hidden = !circuit.open;
  setText($('#circuit-since'), when(circuit.since));
  setText($('#circuit-error'), circuit.lastError);
  setText($('#circuit-probe'), circuit.nextProbeAt ? `at ${when(circuit.nextProbeAt)}` : 'now');
}

function renderPaused(paused) {
  $('#paused').hidden = paused.length === 0;
  const list = $('#paused-list');
  const existing = new Map($$(':scope > li', list).map((li) => [li.dataset.key, li]));
  for (const account of paused) {
    let li = existing.get(account.account);
    if (li) {
      existing.delete(account.account);
    } else {
      const button = el('button', { type: 'button', class: 'danger', text: `Resume ${account.account}`,
        onclick: () => resume(account.account, button) });
      li = el('li', { dataset: { key: account.account } },
        el('strong', { text: account.account }), el('span', { class: 'reason' }), el('span', { class: 'small muted since' }), button);
      list.append(li);
    }
    setText($('.reason', li), account.reason);
    setText($('.since', li), account.pausedAt ? `since ${when(account.pausedAt)}` : '');
  }
  for (const li of existing.values()) li.remove();
}

async function resume(account, button) {
  button.disabled = true;
  try {
    await api('POST', `/api/accounts/${enc(account)}/resume`);
    renderStats(await api('GET', '/api/stats'));
  } catch (e) {
    button.disabled = false;
    showError(e);
  }
}

/** The status filter offers every status of the store; DUPLICATE lists the duplicate reports (SPEC 9, 10). */
function renderStatusOptions(statuses) {
  const select = $('#messages-filter select[name="status"]');
  const wanted = ['', ...STATUSES.filter((s) => statuses.includes(s)), ...statuses.filter((s) => !STATUSES.includes(s))];
  if ($$('option', select).map((o) => o.value).join(',') === wanted.join(',')) return;
  const value = select.value;
  select.replaceChildren(...wanted.map((s) => el('option', { value: s, text: s || 'any' })));
  if (wanted.includes(value)) select.value = value;
}

function renderAccounts(accounts) {
  for (const select of $$('.account-select')) {
    const have = $$('option', select).map((o) => o.value).join(',');
    if (have === accounts.join(',')) continue;
    const value = select.value;
    select.replaceChildren(...accounts.map((a) => el('option', { value: a, text: a })));
    if (accounts.includes(value)) select.value = value;
  }
}

async function refreshSentChart() {
  const series = await api('GET', '/api/stats/sent-per-minute?minutes=60');
  setText($('#sent-total'), `${series.total} sent`);
  barChart($('#sent-chart'), series.points.map((p) => ({ label: when(p.minute).slice(11, 16), value: p.sent })),
    'Messages sent per minute over the last hour');
}

// --- messages and the detail --------------------------------------------------------------------

function messageFilter(form) {
  const data = new FormData(form);
  return {
    status: data.get('status'), to: data.get('to').trim(), id: data.get('id').trim(),
    since: localToIso(data.get('since')), until: localToIso(data.get('until')),
  };
}

async function refreshMessages() {
  const list = await api('GET', `/api/messages${query({ ...state.messageFilter, limit: 100 })}`);
  setText($('#messages-caption'), list.length === 100 ? 'The newest 100 that match' : `${list.length} matching`);
  syncRows($('#messages-table tbody'), list, (m) => m.id, (m) => el('tr', {},
    el('td', {}, el('button', { type: 'button', class: 'linklike', text: m.id, onclick: () => openDetail(m.id) })),
    el('td'), el('td'), el('td'), el('td'), el('td'), el('td', { class: 'num' }), el('td', { class: 'reason' })),
  (tr, m) => {
    const cells = tr.children;
    if (cells[1].textContent !== m.status) cells[1].replaceChildren(pill(m.status));
    setText(cells[2], m.route);
    setText(cells[3], m.contact);
    setText(cells[4], when(m.acceptedAt));
    setText(cells[5], when(m.finishedAt));
    setText(cells[6], m.attempts);
    setText(cells[7], m.reason);
  });
}

async function openDetail(id) {
  state.detailId = id;
  if (state.tab !== 'messages') select('messages');
  setText($('#detail-note'), '');
  await refreshDetail().catch(showError);
  $('#detail').hidden = false;
  $('#detail').scrollIntoView({ block: 'start' });
  $('#detail-title').focus({ preventScroll: true });
}

async function refreshDetail() {
  const id = state.detailId;
  let d;
  try {
    d = await api('GET', `/api/messages/${enc(id)}/detail`);
  } catch (e) {
    if (e.status === 404) {
      setText($('#detail-note'), `No message with id ${id}.`);
      return;
    }
    throw e;
  }
  if (state.detailId !== id) return;
  const r = d.result;
  setText($('#detail-title'), r.id);
  const status = $('#detail-status');
  status.className = `pill s-${r.status}`;
  setText(status, r.status);
  $('#detail-replay').hidden = r.status !== 'DEAD';
  const facts = [
    ['Contact', d.contact], ['Account', d.account], ['Source', r.source], ['Route', r.route || '(not decided)'],
    ['Accepted', when(r.acceptedAt)], ['Finished', when(r.finishedAt)], ['Attempts', r.attempts],
    ['Reason', r.reason || '—'], ['Provider unique', r.provider?.unique || '—'], ['Delivery', r.deliveryStatus || '—'],
    ['Contact opted out', d.optedOut ? 'yes' : 'no'],
  ];
  if (r.sandbox) facts.push(['Sandbox', 'sent to the simulator']);
  if (r.warnings) facts.push(['Warnings', r.warnings.join('; ')]);
  const dl = $('#detail-facts');
  if (dl.children.length !== facts.length * 2) {
    dl.replaceChildren(...facts.flatMap(([k]) => [el('dt', { text: k }), el('dd')]));
  }
  facts.forEach(([k, v], i) => {
    setText(dl.children[i * 2], k);
    setText(dl.children[i * 2 + 1], v);
  });
  const w = d.window;
  const windowText = w.open ? `open until ${when(w.windowEndsAt)}` : w.windowEndsAt ? `closed since ${when(w.windowEndsAt)}` : 'closed (the contact never wrote)';
  setText($('#detail-decision'), `${d.decision.explanation}. The window now: ${windowText}.`);
  syncRows($('#detail-attempts tbody'), d.attempts, (a) => `${a.attempt}-${a.at}-${a.kind}`,
    () => el('tr', {}, el('td', { class: 'num' }), el('td'), el('td'), el('td', { class: 'reason' })),
    (tr, a) => {
      setText(tr.children[0], a.attempt);
      setText(tr.children[1], when(a.at));
      setText(tr.children[2], a.kind);
      setText(tr.children[3], a.detail);
    });
  setText($('#detail-request'), JSON.stringify(d.request, null, 2));
  setText($('#detail-provider'), d.providerAnswer ? JSON.stringify(d.providerAnswer, null, 2) : 'no answer stored');
  setText($('#detail-result'), JSON.stringify(r, null, 2));
}

async function replayOne(id, button) {
  if (button) button.disabled = true;
  try {
    const answer = await api('POST', `/api/messages/${enc(id)}/replay`);
    return answer;
  } finally {
    if (button) button.disabled = false;
  }
}

// --- dead letters -------------------------------------------------------------------------------

function deadFilter(form) {
  const data = new FormData(form);
  return { reason: data.get('reason'), to: data.get('to').trim(), since: localToIso(data.get('since')), until: localToIso(data.get('until')) };
}

async function refreshDead() {
  const doc = await api('GET', `/api/dead-letters${query({ ...state.deadFilter, limit: 200 })}`);
  state.deadTotal = doc.total;
  const select = $('#dead-reason');
  const wanted = ['', ...doc.groups.map((g) => g.reason)];
  if (state.deadFilter.reason && !wanted.includes(state.deadFilter.reason)) wanted.push(state.deadFilter.reason);
  const have = $$('option', select).map((o) => o.value);
  if (have.join('\n') !== wanted.join('\n')) {
    select.replaceChildren(...wanted.map((r) => el('option', { value: r, text: r || 'all reasons' })));
  }
  select.value = state.deadFilter.reason || '';
  syncRows($('#dead-groups'), doc.groups, (g) => g.reason, (g) => el('li', {}, el('button', {
    type: 'button',
    onclick: () => {
      state.deadFilter = { ...state.deadFilter, reason: state.deadFilter.reason === g.reason ? '' : g.reason };
      refreshDead().catch(showError);
    },
  })), (li, g) => {
    const button = li.firstChild;
    button.setAttribute('aria-pressed', String(state.deadFilter.reason === g.reason));
    setText(button, `${g.reason} — ${g.count}`);
  });
  const replayAll = $('#replay-all');
  replayAll.disabled = doc.total === 0;
  setText(replayAll, doc.total === 0 ? 'Replay all matching' : `Replay all ${doc.total} matching`);
  syncRows($('#dead-table tbody'), doc.messages, (m) => m.id, (m) => {
    const replay = el('button', { type: 'button', text: 'Replay', 'aria-label': `Replay ${m.id}` });
    replay.addEventListener('click', async () => {
      try {
        await replayOne(m.id, replay);
        setText($('#dead-note'), `${m.id} queued again.`);
        await refreshDead();
      } catch (e) { showError(e); }
    });
    return el('tr', {},
      el('td', {}, el('button', { type: 'button', class: 'linklike', text: m.id, onclick: () => openDetail(m.id) })),
      el('td'), el('td', { class: 'reason' }), el('td'), el('td', { class: 'num' }), el('td', {}, replay));
  }, (tr, m) => {
    setText(tr.children[1], m.contact);
    setText(tr.children[2], m.reason);
    tr.children[2].title = m.group;
    setText(tr.children[3], when(m.finishedAt));
    setText(tr.children[4], m.attempts);
  });
}

async function replayAll() {
  const total = state.deadTotal;
  const what = state.deadFilter.reason ? ` with "${state.deadFilter.reason}"` : '';
  if (!total || !window.confirm(`Replay ${total} dead message${total === 1 ? '' : 's'}${what}? Each is queued again with a fresh attempt count.`)) return;
  const button = $('#replay-all');
  button.disabled = true;
  try {
    const answer = await api('POST', `/api/dead-letters/replay${query(state.deadFilter)}`);
    setText($('#dead-note'), `${answer.replayed} queued again.`);
    await refreshDead();
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = state.deadTotal === 0;
  }
}

// --- contacts -----------------------------------------------------------------------------------

function windowWords(view) {
  if (!view) return 'closed: the contact never wrote to this account';
  if (view.open) return `open until ${when(view.windowEndsAt)} (last message ${when(view.lastInboundAt)})`;
  return view.windowEndsAt ? `closed since ${when(view.windowEndsAt)}` : 'closed';
}

async function contactState(number, from) {
  const [window, optOut, messages, held] = await Promise.all([
    api('GET', `/api/contacts/${enc(optNumber(number))}/window`),
    api('GET', `/api/contacts/${enc(number)}/opt-out${query({ from })}`),
    api('GET', `/api/messages${query({ to: optNumber(number), limit: 20 })}`),
    api('GET', `/api/messages${query({ to: optNumber(number), status: 'HELD', limit: 1000 })}`),
  ]);
  const view = (window.accounts || []).find((a) => a.account === from) || null;
  return { view, optOut, messages, held: held.length };
}

/** The number as the store keeps it (digits without + or 00), so message lists find it. */
function optNumber(number) {
  const n = number.trim().replace(/[\s()\u00A0-]/g, '');
  return n.startsWith('+') ? n.slice(1) : n.startsWith('00') ? n.slice(2) : n;
}

async function refreshContact() {
  const { number, from } = state.contact;
  const s = await contactState(number, from);
  if (!state.contact || state.contact.number !== number) return;
  $('#contact-view').hidden = false;
  setText($('#contact-title'), `${s.optOut.contact} and account ${from}`);
  setText($('#contact-window'), windowWords(s.view));
  setText($('#contact-conversation'), s.view?.conversationEndsAt
    ? (new Date(s.view.conversationEndsAt) > new Date() ? `open until ${when(s.view.conversationEndsAt)}` : `last one ended ${when(s.view.conversationEndsAt)}`)
    : 'none yet');
  setText($('#contact-held'), String(s.held));
  const sw = $('#opt-out-switch');
  if (!sw.disabled) sw.checked = s.optOut.optedOut;
  setText($('#opt-out-note'), s.optOut.optedOut ? `opted out ${when(s.optOut.optedOutAt)}` : 'receives messages');
  syncRows($('#contact-messages tbody'), s.messages, (m) => m.id, (m) => el('tr', {},
    el('td', {}, el('button', { type: 'button', class: 'linklike', text: m.id, onclick: () => openDetail(m.id) })),
    el('td'), el('td'), el('td'), el('td', { class: 'reason' })),
  (tr, m) => {
    if (tr.children[1].textContent !== m.status) tr.children[1].replaceChildren(pill(m.status));
    setText(tr.children[2], m.route);
    setText(tr.children[3], when(m.acceptedAt));
    setText(tr.children[4], m.reason);
  });
}

async function toggleOptOut(event) {
  const sw = event.target;
  const { number, from } = state.contact;
  sw.disabled = true;
  try {
    const answer = await api(sw.checked ? 'PUT' : 'DELETE', `/api/contacts/${enc(number)}/opt-out${query({ from })}`);
    sw.checked = answer.optedOut;
    setText($('#opt-out-note'), answer.optedOut ? `opted out ${when(answer.optedOutAt)}` : 'receives messages');
  } catch (e) {
    sw.checked = !sw.checked;
    showError(e);
  } finally {
    sw.disabled = false;
  }
}

// --- conversations ------------------------------------------------------------------------------

async function refreshConversations() {
  const data = new FormData($('#conversations-form'));
  const from = data.get('from') || state.stats?.defaultAccount;
  const doc = await api('GET', `/api/conversations/daily${query({ from, days: data.get('days') })}`);
  setText($('#conversations-total'), `${doc.total} for ${doc.from}`);
  barChart($('#conversations-chart'), doc.days.map((d) => ({ label: d.date.slice(5), value: d.conversations })),
    `Conversations per day for ${doc.from}`);
}

// --- sandbox ------------------------------------------------------------------------------------

async function sandboxInbound(payload) {
  // the sandbox answers loopback callers and admin-token holders (SPEC 8)
  const answer = await api('POST', '/sandbox/inbound', { body: payload });
  state.sandboxContact = { number: payload.from, from: payload.to || state.stats.defaultAccount };
  $('#sandbox-state').hidden = false;
  setText($('#sandbox-result'), `Delivered as the provider's webhook (unique ${answer.unique}).`);
  await refreshSandboxState();
}

async function refreshSandboxState() {
  const { number, from } = state.sandboxContact;
  const s = await contactState(number, from);
  setText($('#sandbox-window'), windowWords(s.view));
  setText($('#sandbox-held'), String(s.held));
}

async function findButtonMessages(event) {
  event.preventDefault();
  const from = optNumber(new FormData(event.target).get('from'));
  const box = $('#sandbox-buttons');
  box.replaceChildren(el('p', { class: 'small', text: 'Looking…' }));
  const sent = await api('GET', `/api/messages${query({ to: optNumber(from), status: 'SENT', limit: 20 })}`);
  const details = await Promise.all(sent.filter((m) => m.route === 'buttons')
    .map((m) => api('GET', `/api/messages/${enc(m.id)}/detail`)));
  const choices = details.filter((d) => (d.request.buttons || []).length && d.result.provider?.unique);
  if (!choices.length) {
    box.replaceChildren(el('p', { class: 'small', text: 'No buttons message was sent to this contact yet (a message goes as buttons while its window is open: let the contact write first).' }));
    return;
  }
  box.replaceChildren(el('div', { class: 'button-choices' }, ...choices.map((d) => el('div', { class: 'message' },
    el('span', { class: 'small', text: `${d.result.id}: ${d.request.body || ''}` }),
    el('div', {}, ...d.request.buttons.map((b) => el('button', {
      type: 'button', class: 'secondary', text: `Click "${b.title}"`,
      onclick: () => sandboxInbound({ from, to: d.account, type: 'button', body: b.title, buttonId: b.id,
        quoteUnique: d.result.provider.unique }).catch(showError),
    })))))));
}

// --- wiring -------------------------------------------------------------------------------------

function wire() {
  for (const button of $$('.tabs button')) button.addEventListener('click', () => select(button.dataset.tab));

  $('#messages-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    state.messageFilter = messageFilter(event.target);
    refreshMessages().catch(showError);
  });
  $('#detail-close').addEventListener('click', () => {
    state.detailId = null;
    $('#detail').hidden = true;
  });
  $('#detail-replay').addEventListener('click', async (event) => {
    try {
      await replayOne(state.detailId, event.target);
      setText($('#detail-note'), 'Queued again with a fresh attempt count.');
      await Promise.all([refreshDetail(), refreshMessages()]);
    } catch (e) { showError(e); }
  });

  $('#dead-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    state.deadFilter = deadFilter(event.target);
    refreshDead().catch(showError);
  });
  $('#replay-all').addEventListener('click', replayAll);

  $('#contact-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    state.contact = { number: data.get('number').trim(), from: data.get('from') || state.stats.defaultAccount };
    refreshContact().catch(showError);
  });
  $('#opt-out-switch').addEventListener('change', toggleOptOut);

  $('#conversations-form').addEventListener('submit', (event) => {
    event.preventDefault();
    refreshConversations().catch(showError);
  });

  $('#sandbox-write').addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    sandboxInbound({ from: optNumber(data.get('from')), to: data.get('to') || undefined, body: data.get('body') }).catch(showError);
  });
  $('#sandbox-click').addEventListener('submit', (event) => findButtonMessages(event).catch(showError));
}

document.addEventListener('DOMContentLoaded', () => {
  $('#sign-in-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', () => signOut('Signed out.'));
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) {
    api('GET', '/api/stats', { token: saved })
      .then((stats) => start(saved, stats))
      .catch(() => signOut('Sign in again: the saved token was refused or the gateway did not answer.'));
  } else {
    $('#token').focus();
  }
});
