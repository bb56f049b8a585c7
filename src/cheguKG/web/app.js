// cheguKG query page: an editor preloaded with the competency queries, results as a table.
// Everything from the server is inserted with textContent, never innerHTML: article text
// may contain markup.
"use strict";

const $ = (id) => document.getElementById(id);
const RESULTS_JSON = "application/sparql-results+json";

function entityHref(iri) {
  return "/entity?iri=" + encodeURIComponent(iri);
}

function termNode(term) {
  if (!term) return document.createTextNode("");
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = entityHref(term.value);
    a.className = "iri";
    a.title = term.value;
    a.textContent = shortIri(term.value);
    return a;
  }
  const span = document.createElement("span");
  span.className = term.type === "literal" ? "literal" : "bnode";
  span.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
  if (term["xml:lang"]) {
    const lang = document.createElement("span");
    lang.className = "lang";
    lang.textContent = " @" + term["xml:lang"];
    span.appendChild(lang);
  }
  return span;
}

const PREFIXES = [
  ["cgr", "https://w3id.org/chegukg/id/"],
  ["cg", "https://w3id.org/chegukg/ontology#"],
  ["rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["rdfs", "http://www.w3.org/2000/01/rdf-schema#"],
  ["skos", "http://www.w3.org/2004/02/skos/core#"],
  ["prov", "http://www.w3.org/ns/prov#"],
  ["org", "http://www.w3.org/ns/org#"],
  ["schema", "https://schema.org/"],
  ["dcterms", "http://purl.org/dc/terms/"],
  ["xsd", "http://www.w3.org/2001/XMLSchema#"],
];

function shortIri(iri) {
  for (const [prefix, ns] of PREFIXES) {
    if (iri.startsWith(ns) && iri.length > ns.length) {
      let local = iri.slice(ns.length);
      try { local = decodeURIComponent(local); } catch (e) { /* keep as is */ }
      return prefix + ":" + local;
    }
  }
  return iri;
}

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function showError(error) {
  const box = document.createElement("div");
  box.className = "error-box";
  box.id = "error";
  const title = document.createElement("strong");
  title.textContent = `${error.status} ${error.title}`;
  const detail = document.createElement("div");
  detail.textContent = error.detail || "";
  box.append(title, detail);
  $("results").replaceChildren(box);
  setStatus("error", true);
}

function showTable(data, truncated) {
  const results = $("results");
  if ("boolean" in data) {
    const p = document.createElement("p");
    p.id = "boolean";
    p.textContent = String(data.boolean);
    results.replaceChildren(p);
    setStatus("ASK answered");
    return;
  }
  const vars = data.head.vars;
  const table = document.createElement("table");
  table.id = "result-table";
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const v of vars) row.insertCell().appendChild(termNode(binding[v]));
  }
  results.replaceChildren(table);
  const n = data.results.bindings.length;
  setStatus(`${n} row${n === 1 ? "" : "s"}${truncated ? " (truncated at the row limit)" : ""}`);
}

async function runQuery(event) {
  if (event) event.preventDefault();
  const query = $("query").value;
  setStatus("running…");
  const started = performance.now();
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": RESULTS_JSON + ", text/turtle;q=0.9",
      },
      body: query,
    });
  } catch (e) {
    showError({ status: 0, title: "Network error", detail: String(e) });
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    let body;
    try { body = await response.json(); } catch (e) { body = null; }
    showError(body && body.error ? body.error
      : { status: response.status, title: response.statusText, detail: "" });
    return;
  }
  const truncated = response.headers.get("X-Result-Truncated") === "true";
  if (type.startsWith("text/turtle")) {
    const pre = document.createElement("pre");
    pre.id = "graph-result";
    pre.textContent = await response.text();
    $("results").replaceChildren(pre);
    setStatus("graph result" + (truncated ? " (truncated)" : ""));
    return;
  }
  showTable(await response.json(), truncated);
  const ms = Math.round(performance.now() - started);
  $("status").textContent += ` · ${ms} ms`;
}

async function loadQueries() {
  let queries = {};
  try {
    const response = await fetch("/queries.json");
    queries = await response.json();
  } catch (e) {
    return;
  }
  const select = $("examples");
  for (const name of Object.keys(queries)) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    select.appendChild(option);
  }
  select.addEventListener("change", () => {
    if (select.value) $("query").value = queries[select.value];
  });
  const first = Object.keys(queries)[0];
  const fromUrl = new URLSearchParams(location.search).get("query");
  if (fromUrl) {
    $("query").value = fromUrl;
  } else if (first && !$("query").value) {
    select.value = first;
    $("query").value = queries[first];
  }
}

$("query-form").addEventListener("submit", runQuery);
$("query").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery(event);
});
loadQueries();
