// sitroom situation room: list filters, exports of what is shown, and the cited passage.
// Data from articles is untrusted: this script only ever sets textContent, never HTML.
"use strict";

(function () {
  const FILTERS = ["q", "since", "until", "place", "actor", "type", "outlet", "status"];
  const COLUMNS = ["story_id", "label", "topic_id", "first", "last", "articles", "sources",
    "outlets", "events", "claims", "places", "actors", "types"];
  const mode = document.body.dataset.mode;

  function params() {
    const out = new URLSearchParams(location.search);
    const hash = location.hash.replace(/^#/, "");
    if (hash.includes("=")) new URLSearchParams(hash).forEach((v, k) => out.set(k, v));
    return out;
  }

  // -- the story list ------------------------------------------------------------------------
  // lower case without accents: "Herat" finds "Herāt" (as fold() in sitroom/site/data.py)
  function fold(text) {
    return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function has(values, needle) {
    const n = fold(needle);
    return values.some((v) => fold(v).includes(n));
  }

  function passes(r, p) {
    if (p.q && !fold(r.label || "").includes(fold(p.q))) return false;
    if (p.since && (r.last || "9999") < p.since) return false;
    if (p.until && (r.first || "") > p.until) return false;
    if (p.place && !has(r.places, p.place)) return false;
    if (p.actor && !has(r.actors, p.actor)) return false;
    if (p.type && !has(r.types, p.type)) return false;
    if (p.outlet && !has(r.outlets, p.outlet)) return false;
    if (p.status && !(r.claims[p.status] > 0)) return false;
    return true;
  }

  function csvCell(v) {
    let s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // no spreadsheet formulas
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function toCsv(rows) {
    const lines = [COLUMNS.join(",")];
    for (const r of rows) lines.push(COLUMNS.map((c) => csvCell(r[c])).join(","));
    return lines.join("\n") + "\n";
  }

  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function storyList() {
    const holder = document.getElementById("stories-data");
    const form = document.getElementById("filters");
    if (!holder || !form) return;
    const rows = JSON.parse(holder.textContent);
    const items = new Map();
    document.querySelectorAll("#stories > li[data-id]").forEach((li) => items.set(li.dataset.id, li));
    let shown = rows;

    function current() {
      const p = {};
      for (const k of FILTERS) p[k] = (document.getElementById("f-" + k).value || "").trim();
      return p;
    }

    function apply() {
      const p = current();
      shown = rows.filter((r) => passes(r, p));
      const keep = new Set(shown.map((r) => r.story_id));
      items.forEach((li, id) => { li.hidden = !keep.has(id); });
      document.getElementById("shown").textContent = String(shown.length);
      document.getElementById("none").hidden = shown.length > 0;
      const q = new URLSearchParams();
      for (const k of FILTERS) if (p[k]) q.set(k, p[k]);
      if (mode === "serve") {
        document.querySelectorAll("a.export[data-what=stories]").forEach((a) => {
          a.href = "api/stories." + a.dataset.format + (q.toString() ? "?" + q : "");
        });
        try { history.replaceState(null, "", q.toString() ? "?" + q : location.pathname); } catch (e) { /* file: */ }
      }
    }

    const start = params();
    for (const k of FILTERS) if (start.get(k)) document.getElementById("f-" + k).value = start.get(k);
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", (ev) => { ev.preventDefault(); apply(); });
    form.addEventListener("reset", () => setTimeout(apply, 0));
    if (mode !== "serve") {
      // static pages: the files beside the page hold every story; build what is shown here
      document.querySelectorAll("a.export[data-what=stories]").forEach((a) => {
        a.addEventListener("click", (ev) => {
          ev.preventDefault();
          if (a.dataset.format === "json") {
            download("stories.json", JSON.stringify(shown.map((r) => Object.fromEntries(COLUMNS.map((c) => [c, r[c]]))), null, 1) + "\n", "application/json");
          } else {
            download("stories.csv", toCsv(shown), "text/csv");
          }
        });
      });
    }
    apply();
  }

  // -- the source view: highlight the cited passage --------------------------------------------
  function cleared(root) {
    root.querySelectorAll("mark.hl").forEach((m) => {
      const parent = m.parentNode;
      while (m.firstChild) parent.insertBefore(m.firstChild, m);
      parent.removeChild(m);
      parent.normalize();
    });
  }

  function highlight(root, start, end) {
    cleared(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest("[data-skip]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const marks = [];
    let pos = 0;
    for (const node of nodes) {
      const len = node.data.length;
      const s = Math.max(start, pos), e = Math.min(end, pos + len);
      if (s < e) {
        let n = node;
        if (s > pos) n = n.splitText(s - pos);
        if (e - s < n.data.length) n.splitText(e - s);
        const m = document.createElement("mark");
        m.className = "hl";
        n.parentNode.insertBefore(m, n);
        m.appendChild(n);
        marks.push(m);
      }
      pos += len;
    }
    if (!marks.length) return;
    // no id: the browser's own fragment scroll would pull the passage to the very top
    marks[0].dataset.cited = start + "-" + end;
    for (const m of marks) {
      const d = m.closest("details");
      if (d) d.open = true;
    }
    marks[0].scrollIntoView({ block: "center" });
  }

  function sourceView() {
    const root = document.getElementById("text");
    if (!root) return;
    function go() {
      const p = new URLSearchParams(location.search);
      const spec = (location.hash.match(/^#s-(\d+)-(\d+)$/) || []).slice(1).join("-") || p.get("s") || "";
      const m = spec.match(/^(\d+)-(\d+)$/);
      if (m) highlight(root, Number(m[1]), Number(m[2]));
    }
    window.addEventListener("hashchange", go);
    go();
  }

  storyList();
  sourceView();
})();
