// The timeline page: reads the trace-event JSON embedded in the page and
// draws one lane per thread, grouped by process, on a canvas, and under
// each process's threads a small lane per counter (a queue's length, a
// semaphore's value). Wheel zooms
// around the mouse, drag pans, hover shows what a span or an instant is
// and the script line. #status reports the lanes drawn, the time the first
// draw took and any error, for the headless-browser test.
(function () {
  "use strict";
  var t0 = performance.now();
  var status = document.getElementById("status");
  var L = JSON.parse(document.getElementById("labels").textContent);
  try {
    main();
  } catch (e) {
    status.setAttribute("data-error", String(e && e.stack || e));
    status.textContent = "error";
    throw e;
  }

  function main() {
    var doc = JSON.parse(document.getElementById("trace").textContent);
    var colors = { running: "#43a047", ready: "#fdd835", wait: "#e53935", sleep: "#64b5f6" };
    var COUNTER = "#00897b", COUNTER_FILL = "#80cbc4", ROW = 22, CROW = 16;
    var lanes = [], byTid = {}, flows = {}, flowList = [], counters = [], byCounter = {};
    var tMin = Infinity, tMax = -Infinity;
    // procs are indexed as in data.go: the run's process first.
    var procs = doc.procs.map(function (p) { return { pid: p[0], name: p[1] }; });
    function lane(proc, tid) {
      var k = proc + ":" + tid, l = byTid[k];
      if (!l) {
        l = byTid[k] = { proc: proc, tid: tid, name: "Thread " + tid, sort: 1e9, spans: [], marks: [] };
        lanes.push(l);
      }
      return l;
    }
    function counter(proc, name) {
      var k = proc + ":" + name, c = byCounter[k];
      if (!c) {
        c = byCounter[k] = { proc: proc, name: name, counter: true, points: [], max: 1 };
        counters.push(c);
      }
      return c;
    }
    // The columns of data.go: eight integers an event.
    var strs = doc.strs, ev = doc.ev, PH = ["X", "i", "C", "s", "f"], nev = ev.length / 8;
    var tlanes = doc.threads.map(function (th, i) {
      var l = lane(th[2], th[0]);
      l.name = th[1]; l.sort = i;
      return l;
    });
    for (var i = 0; i < ev.length; i += 8) {
      var l = tlanes[ev[i + 1]], ph = PH[ev[i]];
      if (ph === "C") { // a counter's dur column is its value
        var c = counter(l.proc, strs[ev[i + 4]]), v = ev[i + 3];
        c.points.push({ ts: ev[i + 2], v: v, thread: l.name });
        if (v > c.max) c.max = v;
        continue;
      }
      var e = { ph: ph, proc: l.proc, tid: l.tid, ts: ev[i + 2], dur: ev[i + 3],
        name: strs[ev[i + 4]], cat: strs[ev[i + 5]], id: ev[i + 6], details: ev[i + 7] >= 0 ? strs[ev[i + 7]] : "" };
      if (e.ts < tMin) tMin = e.ts;
      var end = e.ts + e.dur;
      if (end > tMax) tMax = end;
      if (ph === "X") l.spans.push(e);
      else if (ph === "i") l.marks.push(e);
      else if (ph === "s") flows[e.id] = e;
      else if (ph === "f" && flows[e.id]) flowList.push([flows[e.id], e]);
    }
    if (!isFinite(tMin)) { tMin = 0; tMax = 1; }
    if (tMax <= tMin) tMax = tMin + 1;
    tMax += Math.max(1, (tMax - tMin) * 0.02); // room for the marks at the very end
    lanes.sort(function (a, b) { return a.proc - b.proc || a.sort - b.sort || a.tid - b.tid; });
    lanes.forEach(function (l) {
      l.spans.sort(function (a, b) { return a.ts - b.ts; });
      l.marks.sort(function (a, b) { return a.ts - b.ts; });
    });
    counters.forEach(function (c) { c.points.sort(function (a, b) { return a.ts - b.ts; }); });

    // Rows: a header row per process, then its thread lanes, then its
    // counter lanes (lower: they are a detail of the threads above).
    var rows = [], y0 = 0;
    procs.forEach(function (p, pi) {
      var ls = lanes.filter(function (l) { return l.proc === pi; });
      var cs = counters.filter(function (c) { return c.proc === pi; });
      if (!ls.length && !cs.length) return;
      rows.push({ proc: pi, y: y0, h: ROW }); y0 += ROW;
      ls.forEach(function (l) { l.row = rows.length; rows.push({ lane: l, y: y0, h: ROW }); y0 += ROW; });
      cs.forEach(function (c) { rows.push({ counter: c, y: y0, h: CROW }); y0 += CROW; });
    });
    function rowAt(py) {
      var yy = py - AXIS, lo = 0, hi = rows.length - 1;
      if (yy < 0 || !rows.length) return null;
      while (lo < hi) {
        var m = (lo + hi + 1) >> 1;
        if (rows[m].y <= yy) lo = m; else hi = m - 1;
      }
      return yy < rows[lo].y + rows[lo].h ? rows[lo] : null;
    }

    var other = doc.other || {};
    document.getElementById("title").textContent = (procs.length ? procs[0].name : "") +
      (other.mode === "sim" ? "  (" + L.sim + ", seed " + other.seed + ")" : "") + "  " + L.exit + " " + (other.exit || "0");
    if (other.deadlock) {
      var d = document.getElementById("deadlock");
      d.style.display = "block";
      d.textContent = L.deadlock + "\n" + other.deadlock.split("; ").join("\n");
    }
    var legend = document.getElementById("legend");
    [["running", L.running], ["ready", L.ready], ["wait", L.wait], ["sleep", L.sleep]].forEach(function (p) {
      var s = document.createElement("span");
      s.innerHTML = '<i style="background:' + colors[p[0]] + '"></i>';
      s.appendChild(document.createTextNode(p[1]));
      legend.appendChild(s);
    });
    if (counters.length) {
      var cs = document.createElement("span");
      cs.innerHTML = '<i style="background:' + COUNTER + '"></i>';
      cs.appendChild(document.createTextNode(L.counter));
      legend.appendChild(cs);
    }
    [["#000", L.op], ["#c62828", L.deadlockMark], ["#6a1b9a", L.flow]].forEach(function (p) {
      var s = document.createElement("span");
      s.innerHTML = '<i style="background:' + p[0] + ';width:3px"></i>';
      s.appendChild(document.createTextNode(p[1]));
      legend.appendChild(s);
    });

    var canvas = document.getElementById("tl"), ctx = canvas.getContext("2d");
    var tip = document.getElementById("tip");
    var LABEL = 220, AXIS = 24;
    var view = { start: tMin, end: tMax };
    var W = 0, H = 0, dpr = window.devicePixelRatio || 1;

    function resize() {
      W = Math.max(400, window.innerWidth);
      H = AXIS + y0 + 4;
      canvas.width = W * dpr; canvas.height = H * dpr;
      canvas.style.width = W + "px"; canvas.style.height = H + "px";
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      draw();
    }
    function x(ts) { return LABEL + (ts - view.start) * (W - LABEL) / (view.end - view.start); }
    function tsAt(px) { return view.start + (px - LABEL) * (view.end - view.start) / (W - LABEL); }
    // first returns the index of the first item ending at or after ts.
    function first(items, ts) {
      var lo = 0, hi = items.length;
      while (lo < hi) {
        var m = (lo + hi) >> 1, it = items[m];
        if (it.ts + (it.dur || 0) < ts) lo = m + 1; else hi = m;
      }
      return lo;
    }
    function fmt(us) {
      if (Math.abs(us) >= 1e6) return (us / 1e6).toFixed(3) + " s";
      if (Math.abs(us) >= 1e3) return (us / 1e3).toFixed(3) + " ms";
      return us + " µs";
    }
    function draw() {
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
      // axis
      ctx.fillStyle = "#222"; ctx.font = "11px sans-serif";
      var span = view.end - view.start, step = Math.pow(10, Math.floor(Math.log10(span / 8)));
      if (span / step > 16) step *= 5; else if (span / step > 8) step *= 2;
      for (var t = Math.ceil(view.start / step) * step; t <= view.end; t += step) {
        var px = x(t);
        ctx.fillRect(px, AXIS - 6, 1, 6);
        ctx.fillText(fmt(t - tMin), px + 2, AXIS - 9);
        ctx.fillStyle = "#eee"; ctx.fillRect(px, AXIS, 1, H - AXIS); ctx.fillStyle = "#222";
      }
      rows.forEach(function (r) {
        var y = AXIS + r.y;
        if (r.proc !== undefined) {
          var p = procs[r.proc];
          ctx.fillStyle = "#eceff1"; ctx.fillRect(0, y, W, ROW);
          ctx.fillStyle = "#222"; ctx.font = "bold 12px sans-serif";
          ctx.fillText(L.process + " " + p.name + " (pid " + p.pid + ")", 6, y + 15);
          return;
        }
        if (r.counter) { drawCounter(r.counter, y); return; }
        var l = r.lane;
        ctx.save();
        ctx.beginPath(); ctx.rect(LABEL, y, W - LABEL, ROW); ctx.clip();
        var lastX = -1, lastC = "";
        for (var k = first(l.spans, view.start); k < l.spans.length; k++) {
          var s = l.spans[k];
          if (s.ts > view.end) break;
          var x0 = x(s.ts), x1 = x(s.ts + s.dur), c = colors[s.cat] || "#999";
          if (x1 - x0 < 1) { if (Math.floor(x0) === lastX && c === lastC) continue; x1 = x0 + 1; }
          ctx.fillStyle = c; ctx.fillRect(x0, y + 3, x1 - x0, ROW - 6);
          lastX = Math.floor(x0); lastC = c;
        }
        var lastM = -1;
        for (k = first(l.marks, view.start); k < l.marks.length; k++) {
          var m = l.marks[k];
          if (m.ts > view.end) break;
          var mx = Math.floor(x(m.ts));
          if (m.cat === "deadlock") {
            ctx.fillStyle = "#c62828"; ctx.fillRect(mx - 2, y, 5, ROW);
          } else if (mx !== lastM) {
            ctx.fillStyle = "#000"; ctx.fillRect(mx, y + 1, 1, 5);
          }
          lastM = mx;
        }
        ctx.restore();
        ctx.fillStyle = "#222"; ctx.font = "12px sans-serif";
        ctx.fillText(l.name.length > 30 ? l.name.slice(0, 29) + "…" : l.name, 14, y + 15);
        ctx.fillStyle = "#ddd"; ctx.fillRect(0, y + ROW - 1, W, 1);
      });
      // flows, only the visible ones and at most 2000
      ctx.save();
      ctx.beginPath(); ctx.rect(LABEL, AXIS, W - LABEL, H - AXIS); ctx.clip();
      ctx.strokeStyle = "#6a1b9a"; ctx.lineWidth = 1;
      var drawn = 0;
      for (var f = 0; f < flowList.length && drawn < 2000; f++) {
        var a = flowList[f][0], b = flowList[f][1];
        if (b.ts < view.start || a.ts > view.end) continue;
        var la = byTid[a.proc + ":" + a.tid], lb = byTid[b.proc + ":" + b.tid];
        ctx.beginPath();
        ctx.moveTo(x(a.ts), AXIS + rows[la.row].y + ROW / 2);
        ctx.lineTo(x(b.ts), AXIS + rows[lb.row].y + ROW / 2);
        ctx.stroke();
        drawn++;
      }
      ctx.restore();
    }
    // drawCounter draws a counter's values as steps: each value holds until
    // the next, scaled to the largest the counter reached.
    function drawCounter(c, y) {
      var pts = c.points, h = CROW - 4, base = y + CROW - 2;
      ctx.save();
      ctx.beginPath(); ctx.rect(LABEL, y, W - LABEL, CROW); ctx.clip();
      ctx.fillStyle = COUNTER_FILL; ctx.strokeStyle = COUNTER; ctx.lineWidth = 1;
      var k = Math.max(0, lastAtOrBefore(pts, view.start));
      ctx.beginPath(); ctx.moveTo(LABEL, base);
      var py = base;
      for (; k < pts.length; k++) {
        var px = Math.max(LABEL, x(pts[k].ts));
        ctx.lineTo(px, py);
        py = base - pts[k].v / c.max * h;
        ctx.lineTo(px, py);
        if (pts[k].ts > view.end) break;
      }
      ctx.lineTo(W, py); ctx.lineTo(W, base); ctx.closePath();
      ctx.fill(); ctx.stroke();
      ctx.restore();
      ctx.fillStyle = "#00695c"; ctx.font = "italic 11px sans-serif";
      var label = c.name + " (max " + c.max + ")";
      ctx.fillText(label.length > 32 ? label.slice(0, 31) + "…" : label, 24, y + CROW - 4);
      ctx.fillStyle = "#eee"; ctx.fillRect(0, y + CROW - 1, W, 1);
    }
    // lastAtOrBefore returns the index of the last point at or before ts
    // (-1 if none).
    function lastAtOrBefore(pts, ts) {
      var lo = 0, hi = pts.length;
      while (lo < hi) {
        var m = (lo + hi) >> 1;
        if (pts[m].ts <= ts) lo = m + 1; else hi = m;
      }
      return lo - 1;
    }
    function hit(px, py) {
      var r = rowAt(py);
      if (!r || px < LABEL) return null;
      if (r.counter) {
        var k = lastAtOrBefore(r.counter.points, tsAt(px));
        if (k < 0) return null;
        var p = r.counter.points[k];
        return { ph: "C", name: r.counter.name + ": " + p.v, ts: p.ts, thread: p.thread };
      }
      if (!r.lane) return null;
      var ts = tsAt(px), slack = (view.end - view.start) / (W - LABEL) * 3;
      var ms = r.lane.marks, k = first(ms, ts - slack);
      if (k < ms.length && ms[k].ts <= ts + slack) return ms[k];
      var ss = r.lane.spans;
      k = first(ss, ts);
      if (k < ss.length && ss[k].ts <= ts) return ss[k];
      return null;
    }
    function describe(e, lane) {
      var lines = [e.name, L.thread + ": " + (lane ? lane.name : e.thread), L.at + ": " + fmt(e.ts - tMin)];
      if (e.ph === "X") lines.push(L.duration + ": " + fmt(e.dur));
      if (e.details) lines.push(e.details.replace(/^line:/m, L.line + ":"));
      return lines.join("\n");
    }
    var drag = null;
    canvas.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, start: view.start, end: view.end }; canvas.style.cursor = "grabbing"; });
    window.addEventListener("mouseup", function () { drag = null; canvas.style.cursor = "grab"; });
    canvas.addEventListener("mousemove", function (ev) {
      var rect = canvas.getBoundingClientRect(), px = ev.clientX - rect.left, py = ev.clientY - rect.top;
      if (drag) {
        var dt = (ev.clientX - drag.x) * (drag.end - drag.start) / (W - LABEL);
        view.start = drag.start - dt; view.end = drag.end - dt;
        draw();
        return;
      }
      var e = hit(px, py);
      if (!e) { tip.style.display = "none"; return; }
      tip.textContent = describe(e, rowAt(py).lane);
      tip.style.display = "block";
      tip.style.left = Math.min(px + 12, W - 320) + "px"; tip.style.top = (py + 14) + "px";
    });
    canvas.addEventListener("mouseleave", function () { tip.style.display = "none"; });
    function zoom(factor, px) {
      var at = tsAt(px), len = (view.end - view.start) * factor;
      if (len < 5) len = 5;
      var frac = (at - view.start) / (view.end - view.start);
      view.start = at - frac * len; view.end = view.start + len;
      draw();
    }
    canvas.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var rect = canvas.getBoundingClientRect();
      zoom(ev.deltaY > 0 ? 1.25 : 0.8, Math.max(LABEL, ev.clientX - rect.left));
    }, { passive: false });
    document.getElementById("zin").onclick = function () { zoom(0.5, (W + LABEL) / 2); };
    document.getElementById("zout").onclick = function () { zoom(2, (W + LABEL) / 2); };
    document.getElementById("zreset").onclick = function () { view.start = tMin; view.end = tMax; draw(); };
    window.addEventListener("resize", resize);
    resize();
    var ms = performance.now();
    status.setAttribute("data-lanes", String(lanes.length));
    status.setAttribute("data-events", String(nev));
    status.setAttribute("data-processes", String(rows.filter(function (r) { return r.proc !== undefined; }).length));
    status.setAttribute("data-counters", String(counters.length));
    status.setAttribute("data-counter-points", String(counters.reduce(function (n, c) { return n + c.points.length; }, 0)));
    status.setAttribute("data-draw-ms", (ms - t0).toFixed(1));
    status.setAttribute("data-load-ms", ms.toFixed(1));
    status.textContent = "ok";
  }
})();
