// Thin typed bridge to ApexCharts 4.7.0 (MIT) for the TerminalChart component.
// The library is loaded once, lazily, from wwwroot/lib (copied from npm by the build).

let loading = null;

function loadApex() {
    if (window.ApexCharts) return Promise.resolve(window.ApexCharts);
    if (!loading) {
        loading = new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = new URL("lib/apexcharts/apexcharts.min.js", document.baseURI).href;
            script.onload = () => resolve(window.ApexCharts);
            script.onerror = () => { loading = null; reject(new Error("apexcharts failed to load")); };
            document.head.appendChild(script);
        });
    }
    return loading;
}

const charts = new Map();
let nextId = 1;

function compact(v) {
    if (v === null || v === undefined || isNaN(v)) return "—";
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + "B";
    if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
    if (a >= 1e4) return (v / 1e3).toFixed(1) + "K";
    if (a >= 1e3) return (v / 1e3).toFixed(2) + "K";
    return (Math.round(v * 10) / 10).toString();
}

// ApexCharts' own date format reads letters inside quotes as tokens ('UTC' printed 'UPC': T is
// AM/PM), so the tooltip's time is formatted here, always in UTC like the rest of the terminal.
const pad = n => String(n).padStart(2, "0");
export function formatUtc(ms) {
    if (ms === null || ms === undefined || isNaN(ms)) return "";
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

function toSeries(series) {
    return (series || []).map(s => ({ name: s.name, data: s.points }));
}

// Scatter/bubble charts: per chart, the label of every point ([series][point]) for the tooltip.
const pointLabels = new Map();
const isScatter = type => type === "scatter" || type === "bubble";
const escapeHtml = t => String(t ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

const axisNumber = v => (v === null || v === undefined || isNaN(v)) ? "" : Math.abs(v) < 10 ? (Math.round(v * 100) / 100).toString() : compact(v);

function scatterOptions(spec, id) {
    const axes = spec.axes || {};
    const title = text => ({ text, style: { fontSize: "10px", fontWeight: 400, color: "#9aa4ad" } });
    return {
        chart: { zoom: { enabled: true, type: "xy" } },
        stroke: { width: 0 },
        fill: { opacity: 0.75 },
        markers: { size: spec.type === "scatter" ? 5 : 0, strokeWidth: 0, hover: { sizeOffset: 2 } },
        plotOptions: { bubble: { minBubbleRadius: 4, maxBubbleRadius: 18 } },
        xaxis: {
            type: "numeric",
            tickAmount: 6,
            title: title(axes.xTitle || ""),
            labels: { formatter: axisNumber, style: { fontSize: "10px" } },
            axisBorder: { color: "#2a3038" },
            axisTicks: { color: "#2a3038" },
            tooltip: { enabled: false },
        },
        yaxis: { logarithmic: !!axes.yLog, forceNiceScale: true, tickAmount: 4, title: title(axes.yTitle || ""), labels: { formatter: axisNumber, style: { fontSize: "10px" } } },
        tooltip: {
            theme: "dark",
            shared: false,
            intersect: true,
            custom: ({ seriesIndex, dataPointIndex, w }) => {
                const point = w.config.series[seriesIndex].data[dataPointIndex] || [];
                const label = ((pointLabels.get(id) || [])[seriesIndex] || [])[dataPointIndex];
                return `<div class="tchart-tip" style="padding:4px 6px;font-size:11px"><b>${escapeHtml(label)}</b><br>` +
                    `${escapeHtml(axes.xTitle)}: ${compact(point[0])} · ${escapeHtml(axes.yTitle)}: ${compact(point[1])}</div>`;
            },
        },
    };
}

function rememberLabels(id, series) {
    pointLabels.set(id, (series || []).map(s => s.labels || []));
}

// Per chart: the x range the user zoomed/panned to, re-applied after data updates
// (ApexCharts resets the zoom on updateSeries).
const ranges = new Map();

// Per chart: the pending (debounced) zoom report and the host element, which carries the shown x
// range as data-x-min/data-x-max (epoch ms) so the page state can be read without ApexCharts' internals.
const pendingReports = new Map();
const hosts = new Map();

function report(id, dotnet, min, max, delay) {
    clearTimeout(pendingReports.get(id));
    const host = hosts.get(id);
    if (host) {
        if (min === null || max === null) { delete host.dataset.xMin; delete host.dataset.xMax; }
        else { host.dataset.xMin = String(Math.round(min)); host.dataset.xMax = String(Math.round(max)); }
    }
    const send = () => { pendingReports.delete(id); dotnet.invokeMethodAsync("OnZoomed", min, max).catch(() => { }); };
    if (delay > 0) pendingReports.set(id, setTimeout(send, delay)); else send();
}

function buildOptions(spec, dotnet, id) {
    const mono = '"JetBrains Mono", "DejaVu Sans Mono", Consolas, monospace';
    return {
        chart: {
            type: spec.type || "area",
            height: spec.height || 220,
            background: "transparent",
            foreColor: "#9aa4ad",
            fontFamily: mono,
            animations: { enabled: false },
            zoom: { enabled: true, type: "x", autoScaleYaxis: true },
            toolbar: {
                show: true,
                autoSelected: "zoom",
                tools: { download: false, selection: false, zoom: true, zoomin: true, zoomout: true, pan: true, reset: true },
            },
            events: {
                zoomed: (_, ctx) => {
                    const x = ctx && ctx.xaxis ? ctx.xaxis : {};
                    if (x.min !== undefined && x.max !== undefined) ranges.set(id, { min: x.min, max: x.max });
                    report(id, dotnet, x.min ?? null, x.max ?? null, 0);
                },
                scrolled: (_, ctx) => {
                    const x = ctx && ctx.xaxis ? ctx.xaxis : {};
                    if (x.min !== undefined && x.max !== undefined) {
                        ranges.set(id, { min: x.min, max: x.max });
                        // a pan fires on every mouse move: tell .NET once it settles
                        report(id, dotnet, x.min, x.max, 250);
                    }
                },
                beforeResetZoom: () => {
                    ranges.delete(id);
                    report(id, dotnet, null, null, 0);
                    return undefined;
                },
            },
        },
        theme: { mode: "dark" },
        colors: spec.colors && spec.colors.length ? spec.colors : ["#ffb000", "#4fc3f7", "#00d26a", "#b388ff"],
        stroke: { width: 1.5, curve: "straight" },
        fill: spec.type === "area" || !spec.type
            ? { type: "gradient", gradient: { shadeIntensity: 0, opacityFrom: 0.35, opacityTo: 0.02 } }
            : { opacity: 1 },
        dataLabels: { enabled: false },
        markers: { size: 0, hover: { size: 3 } },
        grid: { borderColor: "#1c2127", strokeDashArray: 2, padding: { left: 4, right: 8, top: 0, bottom: 0 } },
        xaxis: {
            type: "datetime",
            labels: { datetimeUTC: true, style: { fontSize: "10px" } },
            axisBorder: { color: "#2a3038" },
            axisTicks: { color: "#2a3038" },
            tooltip: { enabled: false },
        },
        yaxis: { labels: { formatter: compact, style: { fontSize: "10px" } }, forceNiceScale: true },
        tooltip: { theme: "dark", x: { formatter: formatUtc }, y: { formatter: compact } },
        legend: { show: (spec.series || []).length > 1, fontSize: "11px", labels: { colors: "#c8d0d8" } },
        noData: { text: spec.noData || "No data", style: { color: "#5b636b", fontFamily: mono } },
        series: toSeries(spec.series),
    };
}

/** Creates a chart in element; returns its handle. */
export async function create(element, dotnet, spec) {
    const ApexCharts = await loadApex();
    const id = nextId++;
    let options = buildOptions(spec, dotnet, id);
    if (isScatter(spec.type)) {
        const extra = scatterOptions(spec, id);
        options = { ...options, ...extra, chart: { ...options.chart, ...extra.chart } };
        rememberLabels(id, spec.series);
    }
    const chart = new ApexCharts(element, options);
    charts.set(id, chart);
    hosts.set(id, element);
    await chart.render();
    // A range the page was opened with (a bookmarked or shared zoom): shown, and kept across updates.
    if (Array.isArray(spec.zoom) && spec.zoom.length === 2 && spec.zoom[1] > spec.zoom[0]) {
        ranges.set(id, { min: spec.zoom[0], max: spec.zoom[1] });
        chart.zoomX(spec.zoom[0], spec.zoom[1]);
        // what the chart now shows (its own x bounds, not the request)
        element.dataset.xMin = String(Math.round(chart.w.globals.minX));
        element.dataset.xMax = String(Math.round(chart.w.globals.maxX));
    }
    return id;
}

/** Replaces every series (keeps the zoom unless reset). */
function keepZoom(id, chart) {
    const range = ranges.get(id);
    if (range) chart.zoomX(range.min, range.max);
}

export function update(id, series) {
    const chart = charts.get(id);
    if (!chart) return;
    if (pointLabels.has(id)) rememberLabels(id, series);
    chart.updateSeries(toSeries(series), false);
    keepZoom(id, chart);
}

/** Appends points ([[t, v], …]) to the series at index. */
export function append(id, index, points) {
    const chart = charts.get(id);
    if (!chart) return;
    const current = chart.w.config.series.map(s => ({ name: s.name, data: s.data.slice() }));
    if (!current[index]) return;
    current[index].data.push(...points);
    chart.updateSeries(current, false);
    keepZoom(id, chart);
}

export function dispose(id) {
    const chart = charts.get(id);
    if (chart) {
        charts.delete(id);
        ranges.delete(id);
        hosts.delete(id);
        clearTimeout(pendingReports.get(id));
        pendingReports.delete(id);
        pointLabels.delete(id);
        chart.destroy();
    }
}
