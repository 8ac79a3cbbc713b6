// Package page writes a run's timeline as one self-contained HTML page: the
// trace-event JSON of package chrome, and the CSS and JavaScript that draw
// it (embedded here with go:embed), in a single file that needs no network
// and no CDN, so a learner can open it offline or mail it to a teacher.
//
// The page draws a lane per thread grouped by process (a multiprocessing
// run's children each have their own group), a small lane per counter (a
// queue's length, a semaphore's value) under its process's threads, with
// zoom (wheel, buttons) and pan (drag), a tooltip with the span's or
// operation's details and its script line, a legend, and the deadlock
// report in a box and as red marks on the lanes of the threads it names.
// Its labels are English or Chinese. An element #status reports, for
// tests, the lanes, processes and counters drawn and how long the first
// draw took (performance.now()).
package page

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"html"
	"io"

	"github.com/starlab-dev/starlab/interp/trace/chrome"
)

//go:embed page.js
var script string

//go:embed page.css
var style string

// labels returns the page's words in lang ("en" or "zh"), and whether
// lang is one of them (else English). The keys are read by page.js.
func labels(lang string) (map[string]string, bool) {
	switch lang {
	case "en":
		return map[string]string{
			"running": "running (holds the GIL)", "ready": "ready (waits for the GIL)", "wait": "waiting (lock, queue, join, I/O)",
			"sleep": "sleeping", "op": "operation (acquire, release, put, get, set, notify)", "deadlockMark": "deadlock",
			"flow": "release → acquire, put → get, set/notify → wait", "counter": "counter (queue length, semaphore value)", "deadlock": "Deadlock: no thread could run.", "process": "process",
			"thread": "thread", "at": "at", "duration": "duration", "line": "line", "sim": "sim mode", "exit": "exit status",
			"zoomIn": "zoom in", "zoomOut": "zoom out", "reset": "whole run", "help": "wheel: zoom · drag: pan · hover: details",
		}, true
	case "zh":
		return map[string]string{
			"running": "运行中（持有 GIL）", "ready": "就绪（等待 GIL）", "wait": "等待（锁、队列、join、I/O）",
			"sleep": "睡眠", "op": "操作（acquire、release、put、get、set、notify）", "deadlockMark": "死锁",
			"flow": "release → acquire，put → get，set/notify → wait", "counter": "计数器（队列长度、信号量的值）", "deadlock": "死锁：没有线程能够运行。", "process": "进程",
			"thread": "线程", "at": "时刻", "duration": "持续", "line": "代码行", "sim": "模拟模式", "exit": "退出状态",
			"zoomIn": "放大", "zoomOut": "缩小", "reset": "整个运行", "help": "滚轮：缩放 · 拖动：平移 · 悬停：详情",
		}, true
	}
	words, _ := labels("en")
	return words, false
}

// Write writes the timeline as an HTML page with labels in lang ("en" or
// "zh"; anything else is English).
func Write(w io.Writer, tl *chrome.Timeline, lang string) error {
	words, ok := labels(lang)
	if !ok {
		lang = "en"
	}
	labelJSON, err := json.Marshal(words)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	title := html.EscapeString(tl.Opts.Process)
	bw.WriteString("<!DOCTYPE html>\n<html lang=\"" + lang + "\"><head><meta charset=\"utf-8\">\n<title>" + title + " · starlab</title>\n<style>\n")
	bw.WriteString(style)
	bw.WriteString("</style></head><body>\n<header><h1 id=\"title\">" + title + "</h1>")
	bw.WriteString("<button id=\"zin\">" + html.EscapeString(words["zoomIn"]) + "</button><button id=\"zout\">" + html.EscapeString(words["zoomOut"]) +
		"</button><button id=\"zreset\">" + html.EscapeString(words["reset"]) + "</button><small>" + html.EscapeString(words["help"]) + "</small>")
	bw.WriteString("<div id=\"legend\"></div></header>\n<div id=\"deadlock\"></div>\n<div id=\"wrap\"><canvas id=\"tl\"></canvas><div id=\"tip\"></div></div>\n<div id=\"status\">loading</div>\n")
	bw.WriteString("<script id=\"labels\" type=\"application/json\">")
	bw.Write(labelJSON)
	bw.WriteString("</script>\n<script id=\"trace\" type=\"application/json\">\n")
	if err := writeData(bw, tl); err != nil {
		return err
	}
	bw.WriteString("</script>\n<script>\n")
	bw.WriteString(script)
	bw.WriteString("</script>\n</body></html>\n")
	return bw.Flush()
}
