"use strict";
// The playground, the track, kit and verify pages: plain JavaScript over the requests API, nothing from elsewhere.
const $ = (selector) => document.querySelector(selector);
const make = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of [].concat(children)) node.append(child);
  return node;
};
const STEP_NAMES = { queued: "Queued", planning: "Planning the form", generating: "Writing the melody", rendering: "Rendering", encoding: "Encoding", posting: "Finishing", done: "Done" };

async function api(path, options) {
  const response = await fetch(path, options);
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(body && body.error ? body.error : `HTTP ${response.status}`);
  return body;
}

function fill(select, values) {
  for (const value of values) select.append(make("option", { value, textContent: value }));
}

function renderTrack(container, track) {
  container.replaceChildren();
  container.hidden = false;
  container.append(make("h3", { id: "result-title", textContent: track.title }));
  container.append(make("ul", { className: "facts" }, [
    make("li", { textContent: track.style }), make("li", { textContent: track.key }),
    make("li", { textContent: `${track.tempo_bpm} bpm` }), make("li", { textContent: `${track.duration_s.toFixed(1)} s` }),
    make("li", { textContent: `seed ${track.seed}` }),
  ]));
  const audio = make("audio", { controls: true, preload: "metadata", src: track.files.audio, loop: track.loop });
  audio.setAttribute("aria-label", `Play ${track.title}`);
  container.append(audio);
  if (track.loop) {
    const toggle = make("input", { type: "checkbox", id: "loop-toggle", checked: true });
    toggle.addEventListener("change", () => { audio.loop = toggle.checked; });
    container.append(make("label", { className: "check", htmlFor: "loop-toggle" }, [toggle, " Loop playback"]));
  }
  container.append(make("img", { src: track.files.piano_roll, alt: `Piano roll of ${track.title}`, width: 1200, height: 630 }));
  const downloads = make("ul", { className: "downloads", "aria-label": "Downloads" });
  const label = { audio: `Audio (${track.format})`, midi: "MIDI", receipt: "Receipt (JSON)", piano_roll: "Piano roll (PNG)" };
  for (const [kind, url] of Object.entries(track.files)) {
    const text = label[kind] || (kind.startsWith("stem_") ? `Stem: ${kind.slice(5)}` : kind);
    downloads.append(make("li", {}, make("a", { href: url, download: "", textContent: text })));
  }
  container.append(downloads);
  container.append(make("p", {}, ["Receipt ", make("a", { href: `/tracks/${track.receipt_id}`, textContent: track.receipt_id }), " · share this page"]));
}

function renderKit(container, kit) {
  container.replaceChildren();
  container.hidden = false;
  container.append(make("h3", { id: "kit-title", textContent: `Stream kit: ${kit.style}, ${kit.mood}` }));
  container.append(make("ul", { className: "facts" }, [
    make("li", { textContent: kit.key }), make("li", { textContent: kit.meter }),
    make("li", { textContent: `${kit.tempo_bpm} bpm` }), make("li", { textContent: `seed ${kit.seed}` }),
  ]));
  const downloads = make("ul", { className: "downloads", "aria-label": "Kit downloads" }, [
    make("li", {}, make("a", { href: kit.zip, download: "", textContent: "Everything (zip)" })),
    make("li", {}, make("a", { href: kit.readme, textContent: "OBS set-up (README)" })),
  ]);
  container.append(downloads);
  const list = make("ul", { className: "pieces" });
  for (const piece of kit.pieces) {
    const facts = `${piece.duration_s.toFixed(2)} s · ${piece.tempo_bpm} bpm` + (piece.loop ? " · loop" : "") +
      (piece.transition_point_ms != null ? ` · hit at ${Math.round(piece.transition_point_ms)} ms` : "");
    const audio = make("audio", { controls: true, preload: "none", src: piece.files.audio, loop: piece.loop });
    audio.setAttribute("aria-label", `Play ${piece.title}`);
    const files = make("ul", { className: "downloads", "aria-label": `${piece.title} files` });
    for (const [kind, url] of Object.entries(piece.files)) files.append(make("li", {}, make("a", { href: url, download: "", textContent: kind.replace("_", " ") })));
    const item = make("li", { className: "piece" }, [make("h4", { textContent: piece.title }), make("p", { className: "facts", textContent: facts }), audio, files]);
    item.dataset.piece = piece.name;
    list.append(item);
  }
  container.append(list);
  container.append(make("p", {}, ["Kit ", make("a", { href: `/kits/${kit.request_id}`, textContent: kit.kit_id }), " · share this page"]));
}

async function follow(id, ids = {}) {
  const box = $(ids.box || "#progress-box"), text = $(ids.text || "#progress-text"), bar = $(ids.bar || "#progress"), cancel = $("#cancel-button");
  box.hidden = false;
  if (!ids.box) cancel.onclick = () => api(`/api/requests/${id}`, { method: "DELETE" }).catch(() => {});
  for (;;) {
    const view = await api(`/api/requests/${id}`);
    if (view.state === "queued") {
      text.textContent = `Queued: #${view.position} in the queue` + (view.eta_seconds ? `, about ${Math.ceil(view.eta_seconds)} s` : "");
      bar.value = 0;
    } else if (view.state === "running") {
      text.textContent = `${STEP_NAMES[view.phase] || view.phase} ${Math.round(view.fraction * 100)}%`;
      bar.value = ["planning", "generating", "rendering", "encoding", "posting"].indexOf(view.phase) / 5 + view.fraction / 5;
    } else {
      box.hidden = true;
      if (view.state === "succeeded") return view;
      throw new Error(view.state === "cancelled" ? "Cancelled." : view.error || "The track could not be made.");
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

async function playground() {
  const options = await api("/api/options");
  fill($("#style"), options.styles); fill($("#mood"), options.moods); fill($("#format"), options.formats);
  fill($("#feel"), options.feels); fill($("#gallery-style"), options.styles);
  for (const key of options.keys) $("#keys").append(make("option", { value: key }));
  const form = $("#compose-form"), error = $("#form-error"), button = $("#compose-button");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true; $("#result").hidden = true; button.disabled = true;
    const data = new FormData(form), body = {};
    for (const name of ["prompt", "style", "mood", "length", "key", "meter", "feel", "format"]) if (data.get(name)) body[name] = data.get(name);
    for (const name of ["tempo", "seed"]) if (data.get(name)) body[name] = Number(data.get(name));
    for (const name of ["loop", "stinger", "stems", "no_drums", "public"]) body[name] = data.get(name) === "on";
    try {
      const submitted = await api("/api/compose", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const view = await follow(submitted.id);
      renderTrack($("#result"), await api(`/api/tracks/${view.receipt_id}`));
      loadGallery();
    } catch (failure) {
      error.textContent = failure.message; error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  fill($("#kit-style"), options.styles); fill($("#kit-mood"), options.moods);
  $("#kit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const kitError = $("#kit-error"), kitButton = $("#kit-button");
    kitError.hidden = true; $("#kit").hidden = true; kitButton.disabled = true;
    const body = { style: $("#kit-style").value, mood: $("#kit-mood").value, kit: true };
    if ($("#kit-seed").value) body.seed = Number($("#kit-seed").value);
    try {
      const submitted = await api("/api/compose", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      await follow(submitted.id, { box: "#kit-progress-box", text: "#kit-progress-text", bar: "#kit-progress" });
      renderKit($("#kit"), await api(`/api/kits/${submitted.id}`));
    } catch (failure) {
      kitError.textContent = failure.message; kitError.hidden = false;
    } finally {
      kitButton.disabled = false;
    }
  });
  $("#kit-button").disabled = false;
  $("#gallery-style").addEventListener("change", loadGallery);
  // Compose works once the form's handler is in place (the button is disabled in the page until then:
  // a click before it would submit the form as a plain page load).
  button.disabled = false;
  loadGallery();
}

async function loadGallery() {
  const style = $("#gallery-style").value;
  const tracks = await api(`/api/tracks${style ? `?style=${encodeURIComponent(style)}` : ""}`);
  const list = $("#gallery-list");
  list.replaceChildren(...tracks.map((t) => make("li", { className: "gallery-item" }, [
    make("h3", {}, make("a", { href: `/tracks/${t.receipt_id}`, textContent: t.title })),
    make("p", { className: "facts", textContent: `${t.style} · ${t.key} · ${t.duration_s.toFixed(0)} s` }),
    Object.assign(make("audio", { controls: true, preload: "none", src: t.files.audio }), { ariaLabel: `Play ${t.title}` }),
  ])));
  $("#gallery-empty").hidden = tracks.length > 0;
}

async function trackPage() {
  const receipt = location.pathname.split("/").pop();
  try {
    const track = await api(`/api/tracks/${encodeURIComponent(receipt)}`);
    document.title = `${track.title} · ComposerBot`;
    renderTrack($("#result"), track);
  } catch (failure) {
    $("#result").replaceChildren(make("p", { className: "error", role: "alert", textContent: failure.message }));
  }
}

async function kitPage() {
  const id = location.pathname.split("/").pop();
  try {
    renderKit($("#kit"), await api(`/api/kits/${encodeURIComponent(id)}`));
  } catch (failure) {
    $("#kit").replaceChildren(make("p", { className: "error", role: "alert", textContent: failure.message }));
  }
}

async function verifyPage() {
  const form = $("#verify-form");
  const result = $("#verify-result");
  const drop = (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length > 0) $("#verify-file").files = event.dataTransfer.files;
  };
  form.addEventListener("dragover", (event) => event.preventDefault());
  form.addEventListener("drop", drop);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.replaceChildren(make("p", { textContent: "Checking… (a copy that is not byte for byte the original is compared with the track made again: a few seconds)" }));
    try {
      const verdict = await api("/api/verify", { method: "POST", body: new FormData(form) });
      const details = [make("p", { className: verdict.verified ? "verdict verified" : "verdict not-verified", textContent: `${verdict.verified ? "✅" : "❌"} ${verdict.verdict}` })];
      if (verdict.signed_by) details.push(make("p", { textContent: `Signed by ${verdict.signed_by}${verdict.signed_by_this_installation ? " (this installation's key)" : ""}.` }));
      if (verdict.receipt_id) details.push(make("p", {}, [make("a", { href: `/tracks/${verdict.receipt_id}`, textContent: `Receipt ${verdict.receipt_id}` })]));
      result.replaceChildren(...details);
    } catch (failure) {
      result.replaceChildren(make("p", { className: "error", role: "alert", textContent: failure.message }));
    }
  });
  $("#verify-button").disabled = false;
}

// The radio: ?style=lofi&mood=calm[&length=SECONDS] names the station on every radio page.
function radioQuery() {
  const asked = new URLSearchParams(location.search), query = new URLSearchParams();
  for (const name of ["style", "mood", "length"]) if (asked.get(name)) query.set(name, asked.get(name));
  return query;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The player an OBS Browser Source loads: no controls, two audio elements that take turns, each track
// faded into the next; the next track is asked for as soon as one starts, so the server keeps making more.
async function radioPage() {
  const query = radioQuery(), error = $("#radio-error");
  const players = [0, 1].map(() => { const audio = make("audio", { preload: "auto" }); document.body.append(audio); return audio; });
  window.radioPlayed = [];
  async function ready(after) {
    for (;;) {
      const params = new URLSearchParams(query);
      if (after) params.set("after", after);
      try {
        const track = await api(`/api/radio/next?${params}`);
        error.hidden = true;
        if (track.ready) return track;
      } catch (failure) {
        error.textContent = failure.message; error.hidden = false;
      }
      await sleep(1000);
    }
  }
  async function start(audio) {
    try {
      await audio.play();
    } catch (failure) {
      if (failure.name !== "NotAllowedError") throw failure;
      const button = $("#radio-start");
      button.hidden = false;
      await new Promise((resolve) => button.addEventListener("click", resolve, { once: true }));
      button.hidden = true;
      await audio.play();
    }
  }
  const nearEnd = (audio, seconds) => new Promise((resolve) => {
    const check = () => {
      if (audio.ended || (Number.isFinite(audio.duration) && audio.duration - audio.currentTime <= seconds)) {
        audio.removeEventListener("timeupdate", check); audio.removeEventListener("ended", check); resolve();
      }
    };
    audio.addEventListener("timeupdate", check); audio.addEventListener("ended", check); check();
  });
  let index = 0, track = await ready(null);
  players[0].src = track.audio;
  await start(players[0]);
  for (;;) {
    const current = players[index], other = players[1 - index];
    window.radioPlayed.push(track.request_id);
    api(`/api/radio/played?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ request_id: track.request_id }) }).catch(() => {});
    const next = await ready(track.request_id);
    other.src = next.audio; other.volume = 0; other.load();
    const fade = track.crossfade_seconds;
    await nearEnd(current, fade);
    other.volume = current.ended ? 1 : 0;
    await start(other);
    const began = performance.now();
    await new Promise((resolve) => {
      const step = () => {
        const done = Math.min(1, (performance.now() - began) / (fade * 1000));
        other.volume = done; current.volume = 1 - done;
        if (done < 1 && !current.ended) { setTimeout(step, 50); return; }
        current.pause(); current.volume = 1; other.volume = 1; resolve();
      };
      step();
    });
    track = next; index = 1 - index;
  }
}

// The overlay: the title and receipt of what the station is playing, over the stream's picture.
async function radioNowPage() {
  const query = radioQuery();
  for (;;) {
    try {
      const status = await api(`/api/radio/status?${query}`);
      if (status.now_playing) {
        $("#now-title").textContent = status.now_playing.title;
        $("#now-receipt").textContent = status.now_playing.receipt_id;
        $("#now").hidden = false;
      }
    } catch (failure) {
      $("#now").hidden = true;
    }
    await sleep(2000);
  }
}

async function radioLogPage() {
  const query = radioQuery();
  const plays = await api(`/api/radio/log?${query.has("style") ? query : "all=1"}`);
  const rows = plays.map((p) => make("tr", {}, [
    make("td", { textContent: p.started_utc.replace("T", " ").slice(0, 19) }),
    make("td", { textContent: p.station }),
    make("td", { textContent: p.title }),
    make("td", { textContent: `${p.duration_s.toFixed(1)} s` }),
    make("td", {}, make("a", { href: `/tracks/${p.receipt_id}`, textContent: p.receipt_id })),
  ]));
  $("#log tbody").replaceChildren(...rows);
  $("#log-empty").hidden = plays.length > 0;
}

const PAGES = { track: trackPage, verify: verifyPage, kit: kitPage, radio: radioPage, "radio-now": radioNowPage, "radio-log": radioLogPage, playground };
document.addEventListener("DOMContentLoaded", () => (PAGES[document.body.dataset.page] || playground)());
