// Terminal shell helpers (CSP: script-src 'self', so no inline handlers anywhere).
// - "/" or Ctrl+K focuses the command bar; Escape leaves it.
// - Arrow keys inside a [data-arrow-nav] grid move the selection instead of scrolling the page.
// - Mirrors the Blazor circuit's connection state into [data-circuit] in the status bar.
// - downloadFile() saves a generated file (CSV export).
// - registerScreenKeys() hands a screen's single-key shortcuts to .NET (see onScreenKey).

let installed = false;

function isTyping(target) {
    if (!target) return false;
    const tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

function focusCommandBar() {
    const input = document.querySelector("[data-command-bar] input");
    if (input) {
        input.focus();
        input.select();
    }
}

function onKeyDown(e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "k" || e.key === "K")) {
        e.preventDefault();
        focusCommandBar();
        return;
    }
    if (e.key === "/" && !isTyping(e.target)) {
        e.preventDefault();
        focusCommandBar();
        return;
    }
    const grid = e.target && e.target.closest ? e.target.closest("[data-arrow-nav]") : null;
    if (grid && ["ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End"].includes(e.key)) {
        e.preventDefault();
    }
    onScreenKey(e, grid);
}

// A screen's own keys (TRND: 1-4 period, P platform, ? cheat-sheet, F1-F4 panels, arrows/Enter on the
// selected row), live without a click first and never while typing, with a modifier, or under a dialog.
let screenKeys = null;

function onScreenKey(e, grid) {
    if (!screenKeys || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || e.defaultPrevented) return;
    if (document.querySelector(".mud-dialog-container")) return;
    const panel = /^F[1-9]$/.test(e.key) ? document.querySelector(`[data-focus-key="${e.key}"]`) : null;
    if (panel) {
        e.preventDefault();
        panel.focus();
        return;
    }
    if (grid && ["ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End", "Enter"].includes(e.key)) return;
    if (e.target && e.target.closest && e.target.closest("button, a, [role=button], [role=tab]") && e.key === "Enter") return;
    if (!screenKeys.keys.includes(e.key)) return;
    e.preventDefault();
    screenKeys.ref.invokeMethodAsync("OnScreenKey", e.key);
}

export function registerScreenKeys(ref, keys) {
    // The page may register before the layout has installed the listener: install it here too (once), so a screen
    // that says it is interactive has its keys live.
    init();
    screenKeys = { ref, keys };
}

export function unregisterScreenKeys(ref) {
    if (screenKeys && screenKeys.ref === ref) screenKeys = null;
}

const circuitLabels = {
    show: ["reconnecting", "RECONNECTING"],
    retrying: ["reconnecting", "RECONNECTING"],
    hide: ["connected", "CONNECTED"],
    failed: ["down", "DISCONNECTED"],
    "resume-failed": ["down", "DISCONNECTED"],
    paused: ["paused", "PAUSED"],
    rejected: ["down", "RELOAD"],
};

function onReconnectState(e) {
    const entry = circuitLabels[e.detail && e.detail.state];
    if (!entry) return;
    for (const el of document.querySelectorAll("[data-circuit]")) {
        el.setAttribute("data-circuit", entry[0]);
        const label = el.querySelector("[data-circuit-label]");
        if (label) label.textContent = entry[1];
    }
    if (e.detail.state === "rejected") {
        location.reload();
    }
}

async function onReconnectClick(e) {
    const button = e.target && e.target.closest ? e.target.closest("[data-reconnect]") : null;
    if (!button || !window.Blazor) return;
    try {
        const ok = await window.Blazor.reconnect();
        if (!ok) location.reload();
    } catch {
        location.reload();
    }
}

export function init() {
    if (installed) return;
    installed = true;
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("click", onReconnectClick);
    const modal = document.getElementById("components-reconnect-modal");
    if (modal) modal.addEventListener("components-reconnect-state-changed", onReconnectState);
}

export function focusCommand() {
    focusCommandBar();
}

export function scrollSelectedIntoView(container) {
    if (!container) return;
    const row = container.querySelector("[data-selected='true']");
    if (row) row.scrollIntoView({ block: "nearest" });
}

export function focusElement(element) {
    if (element) element.focus({ preventScroll: true });
}

export function downloadFile(fileName, contentType, base64) {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
    const a = document.createElement("a");
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}
