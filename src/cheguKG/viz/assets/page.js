/* cheguKG network page: legend and toggles, search, provenance panel, meeting timeline.
 * The graph arrives as JSON in <script type="application/json" id="cg-data">. Every string
 * from the graph reaches the page through textContent (or as canvas text drawn by
 * vis-network), never as HTML, so an article holding <script> or onerror= stays text. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cg-data").textContent);
  var byId = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  var typeInfo = {}, relInfo = {}, typeOn = {}, relOn = {}, typeOf = {}, adjacent = {};
  DATA.types.forEach(function (t) { typeInfo[t.name] = t; typeOn[t.name] = true; });
  DATA.relations.forEach(function (r) { relInfo[r.name] = r; relOn[r.name] = true; });
  DATA.nodes.forEach(function (n) { typeOf[n.id] = n.group; adjacent[n.id] = []; });
  DATA.edges.forEach(function (e) { adjacent[e.from].push(e); if (e.to !== e.from) adjacent[e.to].push(e); });

  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var hideIsolated = false;
  var nodesView = new vis.DataView(nodes, { filter: function (n) {
    return typeOn[n.group] && !(hideIsolated && adjacent[n.id].length === 0);
  } });
  var edgesView = new vis.DataView(edges, { filter: function (e) {
    return relOn[e.relation] && typeOn[typeOf[e.from]] && typeOn[typeOf[e.to]];
  } });
  var network = new vis.Network(byId("cg-network"), {}, DATA.options);
  var state = { network: network, nodes: nodes, edges: edges, nodesView: nodesView,
                edgesView: edgesView, data: DATA, settledAt: null, focusNode: focusNode };
  window.cheguKG = state;

  /* A settled view: physics off (or its bounded stabilisation done) and one frame drawn. */
  function settled() {
    network.once("afterDrawing", function () {
      if (state.settledAt === null) {
        state.settledAt = performance.now();
        document.body.setAttribute("data-settled", "true");
      }
    });
    network.redraw();
  }
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      settled();
    });
  }
  network.setData({ nodes: nodesView, edges: edgesView });
  if (!DATA.nodes.length) {
    state.settledAt = performance.now();  /* nothing to draw, nothing to wait for */
  } else if (!DATA.physics) {
    network.fit({ animation: false });
    settled();
  }

  /* ---- legend and toggles ---- */
  var SVGNS = "http://www.w3.org/2000/svg";
  var SHAPES = {
    dot: "M7 1a6 6 0 1 0 0.01 0z", diamond: "M7 0L14 7L7 14L0 7z", square: "M1 1H13V13H1z",
    triangle: "M7 1L13 13H1z", triangleDown: "M1 1H13L7 13z", star: "M7 0L9 5L14 5L10 8L12 14L7 10L2 14L4 8L0 5L5 5z",
    hexagon: "M3.5 1H10.5L14 7L10.5 13H3.5L0 7z"
  };
  function swatch(type) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("viewBox", "0 0 14 14");
    svg.setAttribute("class", "cg-swatch");
    var path = document.createElementNS(SVGNS, "path");
    path.setAttribute("d", SHAPES[type.shape] || SHAPES.dot);
    path.setAttribute("fill", type.color);
    svg.appendChild(path);
    return svg;
  }
  function toggle(box, name, on, swatchEl, zh, en, count, onChange) {
    var label = el("label");
    var input = el("input");
    input.type = "checkbox";
    input.checked = on;
    input.setAttribute("data-name", name);
    input.addEventListener("change", function () { onChange(input.checked); });
    label.appendChild(input);
    if (swatchEl) label.appendChild(swatchEl);
    label.appendChild(el("span", null, zh));
    label.appendChild(el("small", null, en));
    label.appendChild(el("span", "cg-count", count));
    label.title = en;
    box.appendChild(label);
    return input;
  }
  var typeBoxes = {};
  DATA.types.forEach(function (t) {
    typeBoxes[t.name] = toggle(byId("cg-types"), t.name, true, swatch(t), t.zh, t.en, t.count,
      function (on) { typeOn[t.name] = on; refresh(); });
  });
  DATA.relations.forEach(function (r) {
    toggle(byId("cg-relations"), r.name, true, null, r.zh, r.en, r.count,
      function (on) { relOn[r.name] = on; refresh(); });
  });
  function refresh() {
    nodesView.refresh();
    edgesView.refresh();
    counts();
  }
  function counts() {
    byId("cg-counts").textContent = "显示 shown: " + nodesView.length + "/" + nodes.length + " 节点 nodes · "
      + edgesView.length + "/" + edges.length + " 关系 edges";
  }
  counts();
  byId("cg-english").addEventListener("change", function (ev) {
    var english = ev.target.checked;
    edges.update(DATA.edges.map(function (e) { return { id: e.id, label: english ? e.label_en : e.label_zh }; }));
  });

  byId("cg-isolated").addEventListener("change", function (ev) {
    hideIsolated = ev.target.checked;
    refresh();
    network.fit({ animation: false });
  });

  /* ---- search: any name or alias, NFKC and case folded, then focus ---- */
  function norm(s) { return String(s || "").normalize("NFKC").replace(/\s+/g, "").toLowerCase(); }
  var names = [];
  var seen = {};
  var datalist = byId("cg-names");
  DATA.nodes.forEach(function (n) {
    [DATA.details[n.id].label].concat(DATA.details[n.id].aliases).forEach(function (name) {
      names.push([norm(name), n.id]);
      if (!seen[name] && names.length <= 20000) {
        seen[name] = true;
        var option = document.createElement("option");
        option.value = name;
        datalist.appendChild(option);
      }
    });
  });
  function degree(id) { return adjacent[id].length; }
  function findNode(query) {
    var q = norm(query), best = null;
    if (!q) return null;
    [function (name) { return name === q; }, function (name) { return name.indexOf(q) >= 0; }].some(function (match) {
      names.forEach(function (pair) {
        if (match(pair[0]) && (best === null || degree(pair[1]) > degree(best))) best = pair[1];
      });
      return best !== null;
    });
    return best;
  }
  function focusNode(id) {
    var type = typeOf[id];
    if (!typeOn[type]) { typeOn[type] = true; typeBoxes[type].checked = true; refresh(); }
    if (hideIsolated && !adjacent[id].length) { hideIsolated = false; byId("cg-isolated").checked = false; refresh(); }
    showTab("network");
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300 } });
    openNode(id);
  }
  state.findNode = findNode;
  byId("cg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var id = findNode(byId("cg-search-input").value);
    byId("cg-search-status").textContent = id === null ? "未找到 not found" : "";
    if (id !== null) focusNode(id);
  });

  /* ---- side panel: type, aliases, relations, source sentences linked to their article ---- */
  var panel = byId("cg-panel"), body = byId("cg-panel-body");
  function safeHref(href) {
    href = String(href || "").trim();
    if (/^(https?|file):/i.test(href)) return href;
    if (href && !/^[a-z][a-z0-9+.\-]*:/i.test(href) && href.indexOf("//") !== 0) return href; /* a file beside the page */
    return null;
  }
  function sourceItem(src) {
    var li = el("li");
    li.appendChild(el("blockquote", null, src.sentence));
    var meta = el("div", "cg-src");
    var a = el("a", null, src.title || src.article || "原文 article");
    var href = safeHref(src.url || src.article);
    if (href) { a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer"; }
    meta.appendChild(a);
    if (src.article && src.title) meta.appendChild(el("span", null, " · " + src.article));
    if (src.issued) meta.appendChild(el("span", null, " · " + src.issued));
    li.appendChild(meta);
    return li;
  }
  function sourcesHeading(d) {
    var total = d.sourceCount === undefined ? d.sources.length : d.sourceCount;
    return "来源 Sources (" + (total > d.sources.length ? d.sources.length + " / " + total : total) + ")";
  }
  function nodeLink(id) {
    var b = el("button", "cg-link", DATA.details[id] ? DATA.details[id].label : id);
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function relationItem(e, from) {
    var li = el("li");
    var r = relInfo[e.relation] || { zh: e.label_zh, en: e.label_en };
    var info = DATA.edgeInfo[e.id] || {};
    if (e.from === from) {
      li.appendChild(el("span", null, "→ " + r.zh + " "));
      li.appendChild(nodeLink(e.to));
    } else {
      li.appendChild(el("span", null, "← "));
      li.appendChild(nodeLink(e.from));
      li.appendChild(el("span", null, " " + r.zh));
    }
    li.appendChild(el("small", null, " (" + r.en + (info.title ? ": " + info.title : "") + ")"));
    return li;
  }
  function openNode(id) {
    var d = DATA.details[id], t = typeInfo[d.type] || { zh: d.type, en: d.type };
    body.textContent = "";
    body.appendChild(el("h2", null, d.label));
    body.appendChild(el("p", "cg-meta cg-type", t.zh + " · " + t.en));
    if (d.aliases.length) body.appendChild(el("p", "cg-meta cg-aliases", "别名 Aliases: " + d.aliases.join("、")));
    if (d.held_on) body.appendChild(el("p", "cg-meta", "日期 Date: " + showDate(d.held_on)));
    body.appendChild(el("p", "cg-iri", d.iri));
    body.appendChild(el("h3", null, "关系 Relations (" + adjacent[id].length + ")"));
    var ul = el("ul", "cg-relations-list");
    adjacent[id].forEach(function (e) { ul.appendChild(relationItem(e, id)); });
    body.appendChild(ul);
    body.appendChild(el("h3", null, sourcesHeading(d)));
    var ol = el("ol", "cg-sources");
    d.sources.forEach(function (src) { ol.appendChild(sourceItem(src)); });
    body.appendChild(ol);
    panel.hidden = false;
  }
  function openEdge(edgeId) {
    var e = edges.get(edgeId), info = DATA.edgeInfo[edgeId] || { sources: [] }, r = relInfo[e.relation];
    body.textContent = "";
    body.appendChild(el("h2", null, r.zh + " · " + r.en));
    var p = el("p", "cg-meta");
    p.appendChild(nodeLink(e.from));
    p.appendChild(el("span", null, " → "));
    p.appendChild(nodeLink(e.to));
    body.appendChild(p);
    if (info.title) body.appendChild(el("p", "cg-meta", "职务 Title: " + info.title));
    body.appendChild(el("h3", null, sourcesHeading(info)));
    var ol = el("ol", "cg-sources");
    info.sources.forEach(function (src) { ol.appendChild(sourceItem(src)); });
    body.appendChild(ol);
    panel.hidden = false;
  }
  state.openNode = openNode;
  network.on("click", function (params) {
    if (params.nodes.length) openNode(params.nodes[0]);
    else if (params.edges.length) openEdge(params.edges[0]);
  });
  byId("cg-panel-close").addEventListener("click", function () { panel.hidden = true; });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") panel.hidden = true; });

  /* ---- meeting timeline (a tab); every name links back to the network view ---- */
  function showDate(date) {
    if (!date) return "日期不详 undated";
    if (date.indexOf("--") === 0) return date.slice(2) + "（年份不详 year unknown）";
    return date;
  }
  function linkList(items) {
    var dd = el("dd");
    items.forEach(function (item) { dd.appendChild(nodeLink(item.id)); });
    if (!items.length) dd.textContent = "—";
    return dd;
  }
  var list = byId("cg-meetings");
  DATA.timeline.forEach(function (m) {
    var li = el("li", "cg-meeting");
    li.appendChild(el("time", null, showDate(m.date)));
    li.appendChild(nodeLink(m.id));
    var dl = el("dl");
    [["召集 Convener", m.convened_by], ["调研 Inspected", m.inspects], ["审议通过 Adopted", m.adopts]].forEach(function (row) {
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(linkList(row[1]));
    });
    if (m.articles.length) {
      dl.appendChild(el("dt", null, "来源 Articles"));
      dl.appendChild(el("dd", "cg-src", m.articles.join("、")));
    }
    li.appendChild(dl);
    list.appendChild(li);
  });
  if (!DATA.timeline.length) list.appendChild(el("li", null, "没有会议 No meetings in this selection."));
  /* Tabs switch in script, not by following "#..." links: in a notebook's srcdoc iframe
   * those would resolve against the notebook's own URL and navigate away. */
  function showTab(name) {
    var timeline = name === "timeline";
    byId("cg-timeline").hidden = !timeline;
    byId("cg-tab-timeline").classList.toggle("cg-active", timeline);
    byId("cg-tab-network").classList.toggle("cg-active", !timeline);
  }
  state.showTab = showTab;
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[href^='#']") : null;
    if (!a) return;
    ev.preventDefault();
    showTab(a.getAttribute("href").slice(1));
  });
  window.addEventListener("hashchange", function () { showTab(location.hash.slice(1)); });
  showTab(location.hash.slice(1));

  byId("cg-title").textContent = DATA.title;
  if (DATA.focus !== null && DATA.focus !== undefined) {
    network.selectNodes([DATA.focus]);
    openNode(DATA.focus);
  }
})();
