// The timeline page: reads the trace-event JSON embedded in the page and
// draws one lane per thread, grouped by process, on a canvas. Wheel zooms
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
    var lanes = [], byTid = {}, procs = {}, flows = {}, flowList = [];
    var tMin = Infinity, tMax = -Infinity;
    function lane(pid, tid) {
      var k = pid + ":" + tid, l = byTid[k];
      if (!l) {
        l = byTid[k] = { pid: pid, tid: tid, name: "Thread " + tid, sort: 1e9, spans: [], marks: [] };
        lanes.push(l);
      }
      return l;
    }
    // The columns of data.go: eight integers an event.
    var strs = doc.strs, ev = doc.ev, PH = ["X", "i", "C", "s", "f"], nev = ev.length / 8;
    procs[doc.pid] = doc.process;
    var tlanes = doc.threads.map(function (th, i) {
      var l = lane(doc.pid, th[0]);
      l.name = th[1]; l.sort = i;
      return l;
    });
    for (var i = 0; i < ev.length; i += 8) {
      var e = { ph: PH[ev[i]], pid: doc.pid, tid: doc.threads[ev[i + 1]][0], ts: ev[i + 2], dur: ev[i + 3],
        name: strs[ev[i + 4]], cat: strs[ev[i + 5]], id: ev[i + 6], details: ev[i + 7] >= 0 ? strs[ev[i + 7]] : "" };
      if (e.ts < tMin) tMin = e.ts;
      var end = e.ts + e.dur;
      if (end > tMax) tMax = end;
      var l = tlanes[ev[i + 1]];
      if (e.ph === "X") l.spans.push(e);
      else if (e.ph === "i") l.marks.push(e);
      else if (e.ph === "s") flows[e.id] = e;
      else if (e.ph === "f" && flows[e.id]) flowList.push([flows[e.id], e]);
    }
    if (!isFinite(tMin)) { tMin = 0; tMax = 1; }
    if (tMax <= tMin) tMax = tMin + 1;
    tMax += Math.max(1, (tMax - tMin) * 0.02); // room for the marks at the very end
    lanes.sort(function (a, b) { return a.pid - b.pid || a.sort - b.sort || a.tid - b.tid; });
    lanes.forEach(function (l) {
      l.spans.sort(function (a, b) { return a.ts - b.ts; });
      l.marks.sort(function (a, b) { return a.ts - b.ts; });
    });

    // Rows: a header row per process, then its lanes.
    var rows = [], lastPid = null;
    lanes.forEach(function (l) {
      if (l.pid !== lastPid) { rows.push({ proc: l.pid }); lastPid = l.pid; }
      l.row = rows.length;
      rows.push({ lane: l });
    });

    var other = doc.other || {};
    document.getElementById("title").textContent = (procs[lanes.length ? lanes[0].pid : 0] || "") +
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
    [["#000", L.op], ["#c62828", L.deadlockMark], ["#6a1b9a", L.flow]].forEach(function (p) {
      var s = document.createElement("span");
      s.innerHTML = '<i style="background:' + p[0] + ';width:3px"></i>';
      s.appendChild(document.createTextNode(p[1]));
      legend.appendChild(s);
    });

    var canvas = document.getElementById("tl"), ctx = canvas.getContext("2d");
    var tip = document.getElementById("tip");
    var LABEL = 220, ROW = 22, AXIS = 24;
    var view = { start: tMin, end: tMax };
    var W = 0, H = 0, dpr = window.devicePixelRatio || 1;

    function resize() {
      W = Math.max(400, window.innerWidth);
      H = AXIS + rows.length * ROW + 4;
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
      rows.forEach(function (r, i) {
        var y = AXIS + i * ROW;
        if (r.proc !== undefined) {
          ctx.fillStyle = "#eceff1"; ctx.fillRect(0, y, W, ROW);
          ctx.fillStyle = "#222"; ctx.font = "bold 12px sans-serif";
          ctx.fillText(L.process + " " + (procs[r.proc] || r.proc) + " (pid " + r.proc + ")", 6, y + 15);
          return;
        }
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
        var la = byTid[a.pid + ":" + a.tid], lb = byTid[b.pid + ":" + b.tid];
        ctx.beginPath();
        ctx.moveTo(x(a.ts), AXIS + la.row * ROW + ROW / 2);
        ctx.lineTo(x(b.ts), AXIS + lb.row * ROW + ROW / 2);
        ctx.stroke();
        drawn++;
      }
      ctx.restore();
    }
    function hit(px, py) {
      var r = rows[Math.floor((py - AXIS) / ROW)];
      if (!r || !r.lane || px < LABEL) return null;
      var ts = tsAt(px), slack = (view.end - view.start) / (W - LABEL) * 3;
      var ms = r.lane.marks, k = first(ms, ts - slack);
      if (k < ms.length && ms[k].ts <= ts + slack) return ms[k];
      var ss = r.lane.spans;
      k = first(ss, ts);
      if (k < ss.length && ss[k].ts <= ts) return ss[k];
      return null;
    }
    function describe(e, lane) {
      var lines = [e.name, L.thread + ": " + lane.name, L.at + ": " + fmt(e.ts - tMin)];
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
      tip.textContent = describe(e, rows[Math.floor((py - AXIS) / ROW)].lane);
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
    status.setAttribute("data-draw-ms", (ms - t0).toFixed(1));
    status.setAttribute("data-load-ms", ms.toFixed(1));
    status.textContent = "ok";
  }
})();
