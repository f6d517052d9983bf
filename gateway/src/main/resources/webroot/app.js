// The operator page: pipelines, their steps, the live audit stream, publish locks and what each stage holds.
// Plain JavaScript against the gateway's own API (/api/v1). Everything shown comes from repositories and users, so
// it is put on the page as text (textContent), never as HTML.
'use strict';

const TOKEN_KEY = 'garden-api-token';
const STAGES = ['dev', 'stage', 'prod'];
const MAX_EVENTS = 500;
const HISTORY_MINUTES = 15;

let selected = null;          // the pipeline whose detail is open (also in the URL: #pipeline=ID)
let stream = null;            // the AbortController of the live event stream
let refreshTimer = null;
let me = { mayRun: false, mayUnlock: false };   // what this credential may do (GET /api/v1/me)
let feed = [];                // the events kept, newest last; filters only choose what is shown

// --- small helpers -------------------------------------------------------------------------------------------

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.entries(props || {}).forEach(([key, value]) => {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  });
  children.flat().forEach(child => node.append(child instanceof Node ? child : String(child ?? '')));
  return node;
}

function token() { return sessionStorage.getItem(TOKEN_KEY); }

class Unauthorized extends Error {}

async function api(path, method, payload) {
  const options = { method: method || 'GET', headers: { Authorization: 'Bearer ' + token() } };
  if (payload !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(payload);
  }
  const response = await fetch(path, options);
  if (response.status === 401) throw new Unauthorized('the token was not accepted');
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || (path + ' answered ' + response.status));
  return body;
}

function took(startedAt, finishedAt) {
  if (!startedAt) return '';
  const end = finishedAt ? Date.parse(finishedAt) : Date.now();
  const ms = Math.max(0, end - Date.parse(startedAt));
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : ''; }

// Today's runs by their time; older ones with their date too.
function dateTime(iso) {
  if (!iso) return '';
  const at = new Date(iso);
  return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
}

function stateCell(state) {
  return el('td', { class: 'state state-' + state }, state);
}

// A duration cell that keeps counting while its work runs (see tick()).
function tookCell(startedAt, finishedAt) {
  const cell = el('td', {}, took(startedAt, finishedAt));
  if (startedAt && !finishedAt) cell.setAttribute('data-started', startedAt);
  return cell;
}

function tick() {
  document.querySelectorAll('td[data-started]').forEach(cell => {
    cell.textContent = took(cell.getAttribute('data-started'), null);
  });
}

function fromHash() {
  const match = location.hash.match(/^#pipeline=(.+)$/);
  return match ? decodeURIComponent(match[1]) : null;
}

function select(id) {
  selected = id;
  if (fromHash() !== id) history.replaceState(null, '', '#pipeline=' + encodeURIComponent(id));
  refreshPipelines().then(refreshDetail).catch(e => setConnection(e.message, true));
}

function setConnection(text, error) {
  const node = document.getElementById('connection');
  node.textContent = text;
  node.className = error ? 'error' : 'muted';
}

// --- token -------------------------------------------------------------------------------------------------

function showLogin(message) {
  if (stream) stream.abort();
  clearInterval(refreshTimer);
  sessionStorage.removeItem(TOKEN_KEY);
  document.getElementById('app').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('signed-in').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message || '';
  setConnection('not connected');
  document.getElementById('token').focus();
}

async function start() {
  document.getElementById('login').hidden = true;
  document.getElementById('app').hidden = false;
  document.getElementById('sign-out').hidden = false;
  selected = fromHash();
  try {
    me = await api('/api/v1/me');
    // Who this token is, as the gateway's policy sees it: what the buttons on this page are offered to.
    const signedIn = document.getElementById('signed-in');
    signedIn.textContent = 'signed in as ' + me.actor + ' (' + ((me.roles || []).join(', ') || 'no roles') + ')';
    signedIn.hidden = false;
    await refreshAll();
  } catch (e) {
    if (e instanceof Unauthorized) { showLogin('That token was not accepted.'); return; }
    setConnection(e.message, true);
  }
  follow();
  refreshTimer = setInterval(() => { refreshLocks(); refreshRegistries(); }, 10000);
}

// --- pipelines ---------------------------------------------------------------------------------------------

async function refreshPipelines() {
  const { pipelines } = await api('/api/v1/pipelines?limit=50');
  const body = document.querySelector('#pipelines tbody');
  body.replaceChildren(...pipelines.map(p => {
    const row = el('tr', { class: 'selectable' + (p.id === selected ? ' selected' : ''), 'data-id': p.id,
      tabIndex: 0 },
      el('td', {}, el('code', {}, p.id)),
      stateCell(p.state),
      el('td', { title: (typeof p.source === 'string' ? p.source : '') + (p.trigger ? ' (' + p.trigger + ')' : '') },
        (p.actor || '?') + (p.stage ? ' · ' + p.stage : '') + (p.dryRun ? ' · dry run' : '')),
      el('td', {}, (p.steps || []).map(s => typeof s === 'string' ? s : s.name).join(' → ')),
      el('td', {}, dateTime(p.startedAt || p.requestedAt)),
      tookCell(p.startedAt, p.finishedAt));
    row.addEventListener('click', () => select(p.id));
    row.addEventListener('keydown', event => {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(p.id); }
    });
    return row;
  }));
  document.getElementById('pipelines-empty').hidden = pipelines.length > 0;
}

async function refreshDetail() {
  if (!selected) return;
  const p = await api('/api/v1/pipelines/' + encodeURIComponent(selected));
  document.getElementById('detail-panel').hidden = false;
  document.getElementById('detail-id').textContent = p.id;
  const state = document.getElementById('detail-state');
  state.textContent = p.state;
  state.className = 'state state-' + p.state;
  const source = p.source ? (p.source.path || p.source.url || '') + (p.source.commit ? ' @ ' + p.source.commit : '') : '';
  document.getElementById('detail-meta').textContent = [
    'asked by ' + (p.actor || 'unknown'), source && 'from ' + source, p.stage && 'stage ' + p.stage,
    p.reason && 'reason: ' + p.reason].filter(Boolean).join(' · ');
  document.getElementById('detail-link').href = '#pipeline=' + encodeURIComponent(p.id);
  const open = p.state === 'running' || p.state === 'queued' || p.state === 'awaiting-approval';
  // Whether this caller may cancel or re-run this pipeline: the gateway's policy answers, per pipeline.
  const may = p.may || {};
  document.getElementById('cancel').hidden = !(may.cancel && open);
  document.getElementById('retry').hidden = !(may.rerun && !open && p.request);
  retryRequest = p.request;
  // A write to a protected stage waiting for people: the plan beside the buttons, so nobody approves unseen.
  waitingPlan = p.approval ? p.approval.plan : null;
  document.getElementById('approve').hidden = !(may.approve && p.approval);
  document.getElementById('reject').hidden = !(may.approve && p.approval);
  const approval = document.getElementById('detail-approval');
  approval.hidden = !p.approval;
  approval.replaceChildren(...(p.approval ? [el('h3', {}, 'Waiting for approval: ' + p.approval.step + ' to '
      + p.approval.stage),
    el('p', { class: 'muted' }, 'asked by ' + p.approval.requester + ' · ' + p.approval.required
      + ' approval(s) needed from someone else · approved so far by ' + (p.approval.approvedBy.join(', ') || 'nobody')
      + ' · until ' + new Date(p.approval.expiresAt).toLocaleString() + ' · plan ' + p.approval.plan.slice(0, 19) + '…'),
    decisionTable({ stage: p.approval.stage, dryRun: true, failed: false, decisions: p.approval.decisions })] : []));
  document.querySelector('#detail-steps tbody').replaceChildren(...(p.steps || []).map(s => el('tr', {},
    el('td', {}, s.name), stateCell(s.state), tookCell(s.startedAt, s.finishedAt),
    el('td', {}, unitsText(s), annotations(s)))));
  const artifacts = document.getElementById('detail-artifacts');
  artifacts.replaceChildren(...(p.artifacts || []).map(a => el('p', {}, 'artifact ',
    el('code', {}, a.name), ' (' + a.size + ' bytes, sha256 ' + a.sha256.slice(0, 12) + '…) ',
    downloadButton(p.id, a.name))));
  // While it waits, its dry run's table is the one beside the buttons: not shown twice.
  document.getElementById('detail-publishes').replaceChildren(...(p.publishes || [])
    .filter(plan => !(p.approval && plan.dryRun)).map(decisionTable));
}

let retryRequest = null;
let waitingPlan = null;

function unitsText(step) {
  return (step.extensions || []).map(u => u.target + ': ' + u.state + (u.summary ? ' — ' + u.summary : ''))
    .join('; ') || step.reason || '';
}

// Why a unit failed, as a CI run view shows it: each finding at file:line:col with its rule, a failure's last lines.
function annotations(step) {
  const items = (step.extensions || []).flatMap(u => u.annotations || []);
  if (!items.length) return '';
  return el('ul', { class: 'annotations' }, items.map(a => el('li', {},
    el('span', { class: 'level-' + a.level }, a.level), ' ',
    el('code', {}, a.extension + (a.file ? '/' + a.file + (a.line > 0 ? ':' + a.line + (a.column > 0 ? ':' + a.column : '')
      : '') : '')), ' ', a.rule ? el('code', {}, a.rule) : '', ' ', a.message,
    a.log && a.log.length ? el('pre', {}, a.log.join('\n')) : '')));
}

// Artifacts need the bearer token, which a plain link cannot send: fetched, then saved from memory.
function downloadButton(id, name) {
  const button = el('button', { type: 'button' }, 'Download');
  button.addEventListener('click', async () => {
    const response = await fetch('/api/v1/pipelines/' + encodeURIComponent(id) + '/artifacts/'
      + encodeURIComponent(name), { headers: { Authorization: 'Bearer ' + token() } });
    if (!response.ok) { setConnection('download failed: ' + response.status, true); return; }
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  });
  return button;
}

async function act(what, call) {
  const result = document.getElementById('action-result');
  try {
    const answer = await call();
    result.textContent = what + ': ' + (answer.state || answer.decision || 'done') + (answer.id && answer.id !== selected
      ? ' (' + answer.id + ')' : '');
    if (answer.id && answer.id !== selected) select(answer.id); else refreshSoon();
  } catch (e) {
    if (e instanceof Unauthorized) { showLogin('That token was not accepted.'); return; }
    result.textContent = what + ' refused: ' + e.message;
  }
}

// One publish's decision table: what it would insert, replace or refuse, and why.
function decisionTable(plan) {
  const header = el('tr', {}, ['file', 'name', 'version', 'range', 'action', 'message'].map(h => el('th', {}, h)));
  const rows = plan.decisions.map(d => el('tr', {},
    el('td', {}, d.file), el('td', {}, d.name), el('td', {}, d.version), el('td', {}, d.range || 'any'),
    stateCell((d.action || '').toLowerCase()), el('td', {}, d.message || '')));
  const title = 'Publish to ' + plan.stage + (plan.dryRun ? ' (dry run)' : '') + (plan.failed ? ' — refused' : '');
  return el('div', {}, el('h3', {}, title),
    el('table', { class: 'decisions' }, el('thead', {}, header), el('tbody', {}, rows)));
}

// --- locks and registries ----------------------------------------------------------------------------------

async function refreshLocks() {
  const rows = await Promise.all(STAGES.map(async stage => {
    try {
      const lock = await api('/api/v1/registry/' + stage + '/lock');
      return el('tr', { 'data-stage': stage }, el('td', {}, stage),
        stateCell(lock.error ? 'failed' : lock.held ? 'held' : 'free'),
        el('td', {}, lock.error || (lock.held ? (lock.owner || '') + (lock.host ? '@' + lock.host : '')
          + (lock.pipeline ? ' (pipeline ' + lock.pipeline + ')' : '') : ''),
          lock.held && me.mayUnlock ? unlockButton(stage) : ''),
        el('td', {}, time(lock.acquiredAt)),
        el('td', {}, lock.leaseLeftSeconds == null ? '' : lock.leaseLeftSeconds + ' s'));
    } catch (e) {
      if (e instanceof Unauthorized) throw e;
      return el('tr', { 'data-stage': stage }, el('td', {}, stage), el('td', { class: 'error', colSpan: 4 }, e.message));
    }
  }));
  document.querySelector('#locks tbody').replaceChildren(...rows);
}

// Removing a lock is a pipeline like any other (authorised as an unlock, recorded); shown only to who may.
function unlockButton(stage) {
  const button = el('button', { type: 'button', class: 'unlock' }, 'Remove lock');
  button.setAttribute('aria-label', 'Remove the ' + stage + ' publish lock');
  button.addEventListener('click', async () => {
    if (!window.confirm('Remove the ' + stage + ' publish lock? Only when its publish is dead.')) return;
    try {
      const answer = await api('/api/v1/registry/' + stage + '/lock', 'DELETE');
      setConnection('lock removal queued as ' + answer.id);
      select(answer.id);
    } catch (e) {
      if (e instanceof Unauthorized) { showLogin('That token was not accepted.'); return; }
      setConnection('lock removal refused: ' + e.message, true);
    }
  });
  return button;
}

async function refreshRegistries() {
  const blocks = await Promise.all(STAGES.map(async stage => {
    try {
      const registry = await api('/api/v1/registry/' + stage);
      const entries = Object.entries(registry).filter(([, v]) => Array.isArray(v))
        .flatMap(([file, list]) => list.map(e => [file, e]));
      return el('div', { 'data-stage': stage }, el('h3', {}, stage + ' — ' + entries.length + ' entr'
        + (entries.length === 1 ? 'y' : 'ies')), el('p', { class: 'muted' }, registry.store || ''),
        el('ul', {}, entries.map(([file, e]) => el('li', {}, file + ': ' + e.name + ' ' + e.version
          + (e.kamiwaza_version ? ' (kamiwaza ' + e.kamiwaza_version + ')' : '')))));
    } catch (e) {
      if (e instanceof Unauthorized) throw e;
      return el('div', { 'data-stage': stage }, el('h3', {}, stage), el('p', { class: 'error' }, e.message));
    }
  }));
  document.getElementById('registries').replaceChildren(...blocks);
}

// A stage's releases, folded on the gateway from the audit stream (GET /api/v1/releases): what garden history shows.
async function refreshReleases() {
  const stage = document.getElementById('releases-stage').value;
  const { releases } = await api('/api/v1/releases?stage=' + encodeURIComponent(stage));
  document.querySelector('#releases tbody').replaceChildren(...releases.map(r => el('tr', { 'data-id': r.id },
    el('td', {}, new Date(r.time).toLocaleString()),
    el('td', {}, el('a', { href: '#pipeline=' + encodeURIComponent(r.id) }, r.id)),
    stateCell(r.failure ? 'failed' : r.action),
    el('td', {}, r.requester || ''),
    el('td', {}, r.emergency ? 'EMERGENCY by ' + r.approvers.join(', ') + ': ' + r.emergency
      : r.approvers.join(', ')),
    el('td', {}, r.failure ? 'failed: ' + r.failure : !r.written ? 'nothing to change'
      : r.changes.map(c => c.action.toLowerCase() + ' ' + c.name + ' ' + (c.version || '')
        + (c.images && c.images.length ? ' (' + c.images.map(i => i.slice(i.lastIndexOf('@') + 1, i.lastIndexOf('@') + 20)
          + '…').join(', ') + ')' : '')).join('; '),
      r.reason ? el('p', { class: 'muted' }, 'yanked: ' + r.reason) : ''))));
  document.getElementById('releases-empty').hidden = releases.length > 0;
}

async function refreshAll() {
  await refreshPipelines();
  await Promise.all([refreshDetail(), refreshLocks(), refreshRegistries()]);
}

// --- the live audit stream ---------------------------------------------------------------------------------

// The stream is read unfiltered from a little while back; filters choose what is shown, so changing them loses
// nothing already seen.
function streamUrl() {
  const since = new Date(Date.now() - HISTORY_MINUTES * 60000).toISOString().replace(/\.\d+Z$/, 'Z');
  return '/api/v1/events?since=' + encodeURIComponent(since);
}

function filters() {
  const types = document.getElementById('filter-type').value.split(',').map(t => t.trim()).filter(Boolean);
  return {
    pipeline: document.getElementById('filter-pipeline').value.trim(),
    extension: document.getElementById('filter-extension').value.trim(),
    types,
  };
}

function names(id, asked) {
  return !!id && (id === asked || (!asked.includes('/') && id.endsWith('/' + asked)));
}

function shown(entry, f) {
  const event = entry.event;
  if (f.pipeline && event.pipelineId !== f.pipeline) return false;
  if (f.types.length && !f.types.some(t => t.endsWith('.') ? entry.type.startsWith(t) : entry.type === t)) return false;
  if (f.extension) {
    const data = event.data || {};
    const ids = [data.extension, data.target, ...(data.extensions || []), ...(data.results || []).map(r => r.extension)];
    if (!ids.some(id => names(id, f.extension))) return false;
  }
  return true;
}

function line(entry) {
  const event = entry.event;
  return time(event.time) + ' ' + entry.type + (event.pipelineId ? ' ' + event.pipelineId : '')
    + (entry.type === 'build.progress' ? ' — ' + (event.data.extension || '') + ' | ' + event.data.line
      : summary(event.data));
}

function renderFeed() {
  const f = filters();
  const list = document.getElementById('events');
  list.replaceChildren(...feed.filter(entry => shown(entry, f)).slice(-200).reverse().map(entry =>
    el('li', { 'data-type': entry.type, 'data-pipeline': entry.event.pipelineId || '' }, line(entry))));
}

// Build output is folded: one line per pipeline and extension, showing its latest non-blank line.
function remember(type, event) {
  if (type === 'build.progress') {
    if (!event.data || !String(event.data.line || '').trim()) return false;
    const key = (event.pipelineId || '') + '|' + event.data.extension;
    feed = feed.filter(entry => entry.key !== key);
    feed.push({ type, event, key });
  } else {
    feed.push({ type, event });
  }
  if (feed.length > MAX_EVENTS) feed = feed.slice(-MAX_EVENTS);
  return true;
}

// EventSource cannot send an Authorization header, so the stream is read with fetch and parsed here.
async function follow() {
  if (stream) stream.abort();
  const controller = new AbortController();
  stream = controller;
  let lastId = null;
  while (!controller.signal.aborted) {
    try {
      const headers = { Authorization: 'Bearer ' + token(), Accept: 'text/event-stream' };
      if (lastId) headers['Last-Event-ID'] = lastId;
      const response = await fetch(streamUrl(), { headers, signal: controller.signal });
      if (response.status === 401) { showLogin('That token was not accepted.'); return; }
      if (!response.ok) throw new Error('the event stream answered ' + response.status);
      setConnection('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = onFrame(frame);
          if (id) lastId = id;
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      setConnection('reconnecting: ' + e.message, true);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

let pending = null;
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    try { await refreshPipelines(); await refreshDetail(); } catch (e) { setConnection(e.message, true); }
  }, 150);
}

function onFrame(frame) {
  let id = null, type = null, data = '';
  frame.split('\n').forEach(line => {
    if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) type = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  });
  if (!type || type === 'error') return id;
  if (type === 'caught-up') return id;
  let event = {};
  try { event = JSON.parse(data); } catch (e) { return id; }
  if (remember(type, event)) renderFeed();
  if (event.pipelineId) refreshSoon();
  if (type.startsWith('lock.') || type.startsWith('publish.')) { refreshLocks(); refreshRegistries(); }
  return id;
}

function summary(data) {
  if (!data) return '';
  const parts = ['step', 'target', 'state', 'reason', 'stage'].filter(k => data[k] != null && data[k] !== '')
    .map(k => k + '=' + data[k]);
  return parts.length ? ' — ' + parts.join(' ') : '';
}

// --- wiring ------------------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('login-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    document.getElementById('token').value = '';
    start();
  });
  document.getElementById('sign-out').addEventListener('click', () => showLogin());
  document.getElementById('filters').addEventListener('submit', event => {
    event.preventDefault();
    renderFeed();
  });
  document.getElementById('cancel').addEventListener('click', () => act('cancel',
    () => api('/api/v1/pipelines/' + encodeURIComponent(selected), 'DELETE')));
  document.getElementById('retry').addEventListener('click', () => act('run again',
    () => api('/api/v1/pipelines', 'POST', retryRequest)));
  document.getElementById('approve').addEventListener('click', () => act('approve',
    () => api('/api/v1/pipelines/' + encodeURIComponent(selected) + '/approve', 'POST', { plan: waitingPlan })));
  document.getElementById('reject').addEventListener('click', () => {
    const reason = window.prompt('Why is it rejected?');
    if (!reason) return;
    act('reject', () => api('/api/v1/pipelines/' + encodeURIComponent(selected) + '/reject', 'POST',
      { plan: waitingPlan, reason }));
  });
  document.getElementById('releases-form').addEventListener('submit', event => {
    event.preventDefault();
    refreshReleases().catch(e => setConnection(e.message, true));
  });
  window.addEventListener('hashchange', () => { const id = fromHash(); if (id && id !== selected) select(id); });
  setInterval(tick, 1000);
  if (token()) start(); else showLogin();
});
