// The operator page: pipelines, their steps, the live audit stream, publish locks and what each stage holds.
// Plain JavaScript against the gateway's own API (/api/v1). Everything shown comes from repositories and users, so
// it is put on the page as text (textContent), never as HTML.
'use strict';

const TOKEN_KEY = 'garden-api-token';
const STAGES = ['dev', 'stage', 'prod'];
const MAX_EVENTS = 200;

let selected = null;          // the pipeline whose detail is open
let stream = null;            // the AbortController of the live event stream
let refreshTimer = null;

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

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
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

function stateCell(state) {
  return el('td', { class: 'state state-' + state }, state);
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
  document.getElementById('login').hidden = false;
  document.getElementById('login-error').textContent = message || '';
  setConnection('not connected');
  document.getElementById('token').focus();
}

async function start() {
  document.getElementById('login').hidden = true;
  document.getElementById('app').hidden = false;
  document.getElementById('sign-out').hidden = false;
  try {
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
    const row = el('tr', { class: 'selectable' + (p.id === selected ? ' selected' : ''), 'data-id': p.id },
      el('td', {}, el('code', {}, p.id)),
      stateCell(p.state),
      el('td', {}, (p.steps || []).map(s => typeof s === 'string' ? s : s.name).join(' → ')),
      el('td', {}, time(p.startedAt || p.requestedAt)),
      el('td', {}, took(p.startedAt, p.finishedAt)));
    row.addEventListener('click', () => { selected = p.id; refreshPipelines(); refreshDetail(); });
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
  document.querySelector('#detail-steps tbody').replaceChildren(...(p.steps || []).map(s => el('tr', {},
    el('td', {}, s.name), stateCell(s.state), el('td', {}, took(s.startedAt, s.finishedAt)),
    el('td', {}, (s.extensions || []).map(u => u.target + ': ' + u.state + (u.summary ? ' — ' + u.summary : ''))
      .join('; ') || s.reason || ''))));
  const artifacts = document.getElementById('detail-artifacts');
  artifacts.replaceChildren(...(p.artifacts || []).map(a => el('p', {}, 'artifact ',
    el('code', {}, a.name), ' (' + a.size + ' bytes, sha256 ' + a.sha256.slice(0, 12) + '…)')));
  document.getElementById('detail-publishes').replaceChildren(...(p.publishes || []).map(decisionTable));
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
          + (lock.pipeline ? ' (pipeline ' + lock.pipeline + ')' : '') : '')),
        el('td', {}, time(lock.acquiredAt)),
        el('td', {}, lock.leaseLeftSeconds == null ? '' : lock.leaseLeftSeconds + ' s'));
    } catch (e) {
      if (e instanceof Unauthorized) throw e;
      return el('tr', { 'data-stage': stage }, el('td', {}, stage), el('td', { class: 'error', colSpan: 4 }, e.message));
    }
  }));
  document.querySelector('#locks tbody').replaceChildren(...rows);
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

async function refreshAll() {
  await refreshPipelines();
  await Promise.all([refreshDetail(), refreshLocks(), refreshRegistries()]);
}

// --- the live audit stream ---------------------------------------------------------------------------------

function streamUrl() {
  const query = new URLSearchParams();
  const pipeline = document.getElementById('filter-pipeline').value.trim();
  const extension = document.getElementById('filter-extension').value.trim();
  const type = document.getElementById('filter-type').value.trim();
  if (pipeline) query.set('pipeline', pipeline);
  if (extension) query.set('extension', extension);
  if (type) query.set('type', type);
  const text = query.toString();
  return '/api/v1/events' + (text ? '?' + text : '');
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
  let event = {};
  try { event = JSON.parse(data); } catch (e) { return id; }
  const list = document.getElementById('events');
  list.prepend(el('li', { 'data-type': type, 'data-pipeline': event.pipelineId || '' },
    time(event.time) + ' ' + type + (event.pipelineId ? ' ' + event.pipelineId : '') + summary(event.data)));
  while (list.children.length > MAX_EVENTS) list.lastChild.remove();
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
    document.getElementById('events').replaceChildren();
    follow();
  });
  if (token()) start(); else showLogin();
});
