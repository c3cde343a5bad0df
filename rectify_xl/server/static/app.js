// The web workbench: post the chosen file(s), show what the server answers.
// Every text from the server (the user's own cell contents included) goes in with textContent,
// never innerHTML; the chart is an SVG shown through <img>, where scripts cannot run.
"use strict";

const $ = (id) => document.getElementById(id);
const HEADERS = { "X-Rectify-Client": "web" };
let current = null; // the File the result on screen was made from (PDF and mail re-post it)
let draft = false; // the result on screen is not final (core.gate): the PDF's name says so too

function show(id, on) { $(id).hidden = !on; }

function setStatus(text) { $("status").textContent = text; }

function setError(text) {
  $("error").textContent = text || "";
  show("error", Boolean(text));
}

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  row.appendChild(td);
  return td;
}

function blobOf(file) {
  const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: file.media });
}

function link(list, blob, name, label, kind) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.textContent = label + "：" + name;
  if (kind) a.dataset.kind = kind;
  li.appendChild(a);
  list.appendChild(li);
}

const LABELS = {
  annotated: "校验标注版台账", notice_txt: "公告（文本）", notice_docx: "公告（Word）",
  notice_pdf: "公告（PDF）", merged: "汇总表", draft: "邮件草稿",
  reminder: "催办文书（Word）", reminded: "含催办记录的台账",
  round_txt: "巡察整改情况通报（文本）", round_docx: "巡察整改情况通报（Word）",
};

function links(list, files) {
  for (const f of files) link(list, blobOf(f), f.name, LABELS[f.kind] || "文件", f.kind);
}

async function post(url, form) {
  let response;
  try {
    response = await fetch(url, { method: "POST", body: form, headers: HEADERS, credentials: "same-origin" });
  } catch (e) {
    throw new Error("无法连接服务器，请检查服务器是否已启动。");
  }
  return response;
}

async function answer(response) {
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    throw new Error((data && data.error) || "服务器未能处理该文件（错误 " + response.status + "）");
  }
  return data;
}

function formWith(files) {
  const form = new FormData();
  for (const f of files) form.append("file", f, f.name);
  if ($("keep").checked) form.append("keep", "1");
  return form;
}

function renderFindings(data) {
  $("verdict").textContent = data.verdict;
  $("verdict").className = data.verdict === "通过" ? "ok" : "bad";
  $("counts").textContent = data.source + "：" +
    Object.entries(data.counts).map(([k, v]) => k + v + "项").join("，");
  const body = $("findings").querySelector("tbody");
  clear(body);
  for (const f of data.findings) {
    const tr = document.createElement("tr");
    tr.className = f.level;
    cell(tr, f.severity); cell(tr, f.code); cell(tr, f.sheet); cell(tr, f.cell || "—"); cell(tr, f.message);
    body.appendChild(tr);
  }
  show("findings", data.findings.length > 0);
  show("no-findings", data.findings.length === 0);
}

function renderSummary(summary) {
  const head = $("headline").querySelector("tbody");
  clear(head);
  for (const [label, value] of summary.headline) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.textContent = label;
    tr.appendChild(th);
    cell(tr, value);
    head.appendChild(tr);
  }
  $("chart").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(summary.chart_svg);
  const body = $("overdue").querySelector("tbody");
  clear(body);
  for (const row of summary.overdue) {
    const tr = document.createElement("tr");
    row.forEach((v) => cell(tr, v));
    body.appendChild(tr);
  }
  if (summary.overdue.length === 0) {
    const tr = document.createElement("tr");
    cell(tr, "无").colSpan = 7;
    body.appendChild(tr);
  }
}

// Errors that change a count or the notice text (the ones `summary`/`notice` exit 1 over):
// the warning names their cells above the summary and the notice, which are drafts then.
function renderGate(data) {
  draft = data.final === false;
  $("not-final-text").textContent = draft ? data.warning : "";
  const list = $("not-final-cells");
  clear(list);
  if (draft) {
    const seen = new Set();
    for (const f of [...data.blocking.summary, ...data.blocking.notice]) {
      const line = f.location + " " + f.code + " " + f.message;
      if (seen.has(line)) continue;
      seen.add(line);
      const li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    }
  }
  show("not-final", draft);
}

function renderCheck(data) {
  show("merge", false);
  renderFindings(data);
  renderGate(data);
  clear($("downloads"));
  links($("downloads"), data.files);
  renderSummary(data.summary);
  $("notice").textContent = data.notice || "";
  $("notice-error").textContent = data.notice_error || "";
  show("notice-error", Boolean(data.notice_error));
  $("kept").textContent = data.kept ? "本次结果已在服务器上保留，编号：" + data.kept : "";
  show("kept", Boolean(data.kept));
  clear($("mail-downloads"));
  show("mail-result", false);
  show("result", true);
}

function renderMerge(m) {
  show("result", false);
  $("merge-counts").textContent = "已汇总 " + m.units.length + " 个单位" +
    (m.failed.length ? "，" + m.failed.length + " 个文件未能读取" : "") + "。";
  const units = $("merge-units");
  clear(units);
  for (const u of m.units) {
    const li = document.createElement("li");
    li.textContent = u.unit + "（" + u.source + "）";
    units.appendChild(li);
  }
  const failed = $("merge-failed");
  clear(failed);
  for (const f of m.failed) {
    const li = document.createElement("li");
    li.textContent = f.source + "：" + f.reason;
    failed.appendChild(li);
  }
  clear($("merge-downloads"));
  links($("merge-downloads"), m.files);
  show("merge", true);
}

async function upload(files) {
  if (!files || files.length === 0) return;
  setError("");
  setStatus(files.length > 1 ? "正在汇总 " + files.length + " 个文件……" : "正在处理“" + files[0].name + "”……");
  try {
    const data = await answer(await post("/api/check", formWith(files)));
    if (data.merge) renderMerge(data.merge); else { current = files[0]; renderCheck(data); }
    setStatus("处理完成。");
  } catch (e) {
    show("result", false); show("merge", false);
    setStatus("");
    setError(e.message);
  }
}

async function makePdf() {
  if (!current) return;
  setError("");
  setStatus("正在生成 PDF（需要几秒钟）……");
  try {
    const response = await post("/api/document?format=pdf", formWith([current]));
    if (!response.ok) await answer(response);
    const name = current.name.replace(/\.[^.]*$/, "") + "-整改进展情况公告" +
      (draft ? "（未定稿）" : "") + ".pdf";
    link($("downloads"), await response.blob(), name, LABELS.notice_pdf, "notice_pdf");
    setStatus("PDF 已生成，请点击下载。");
  } catch (e) { setStatus(""); setError(e.message); }
}

async function sendMail() {
  if (!current) return;
  setError("");
  setStatus("正在发送……");
  try {
    const data = await answer(await post("/api/mail", formWith([current])));
    $("mail-result").textContent = data.message;
    show("mail-result", true);
    clear($("mail-downloads"));
    links($("mail-downloads"), data.files);
    setStatus(data.ok ? "完成。" : "发送未成功，详见下方说明。");
  } catch (e) { setStatus(""); setError(e.message); }
}

async function sendReminders() {
  if (!current) return;
  setError("");
  setStatus("正在生成催办文书……");
  try {
    const data = await answer(await post("/api/remind", formWith([current])));
    $("remind-result").textContent = data.message;
    show("remind-result", true);
    clear($("remind-downloads"));
    links($("remind-downloads"), data.files);
    setStatus("完成。");
  } catch (e) { setStatus(""); setError(e.message); }
}

function init() {
  const drop = $("drop");
  $("file").addEventListener("change", (e) => upload(Array.from(e.target.files)));
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => {
    e.preventDefault(); drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => {
    e.preventDefault(); drop.classList.remove("over");
  }));
  drop.addEventListener("drop", (e) => upload(Array.from(e.dataTransfer.files)));
  $("pdf").addEventListener("click", makePdf);
  $("mail").addEventListener("click", sendMail);
  $("remind").addEventListener("click", sendReminders);
}

document.addEventListener("DOMContentLoaded", init);
