// Clip desk player and timeline: video control, handle dragging, track seeking. Loaded as a module (CSP: no inline script).
const states = new WeakMap();

export function attach(root, track, dotnet, duration) {
    const video = root.querySelector("video");
    const state = { video, track, dotnet, duration, timer: null, lastSent: 0, drag: null };
    states.set(root, state);

    if (video) {
        const report = (force) => {
            const now = performance.now();
            if (!force && now - state.lastSent < 200) return;
            state.lastSent = now;
            dotnet.invokeMethodAsync("OnTimeUpdate", video.currentTime, !video.paused || state.timer !== null);
        };
        state.onTime = () => report(false);
        state.onSeeked = () => report(true);
        state.onPause = () => report(true);
        video.addEventListener("timeupdate", state.onTime);
        video.addEventListener("seeked", state.onSeeked);
        video.addEventListener("pause", state.onPause);
    }

    const fractionAt = (clientX) => {
        const rect = track.getBoundingClientRect();
        return Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
    };

    state.onPointerDown = (e) => {
        const handle = e.target.closest("[data-handle]");
        if (handle) {
            state.drag = handle.dataset.handle;
            track.setPointerCapture(e.pointerId);
            e.preventDefault();
            return;
        }
        dotnet.invokeMethodAsync("OnTrackSeek", fractionAt(e.clientX));
    };
    state.onPointerMove = (e) => {
        if (!state.drag || state.pending) return;
        state.pending = true;
        requestAnimationFrame(() => {
            state.pending = false;
            if (state.drag) dotnet.invokeMethodAsync("OnHandleDrag", state.drag, fractionAt(e.clientX));
        });
    };
    state.onPointerUp = (e) => {
        if (!state.drag) return;
        const handle = state.drag;
        state.drag = null;
        try { track.releasePointerCapture(e.pointerId); } catch { /* already released */ }
        dotnet.invokeMethodAsync("OnHandleDrag", handle, fractionAt(e.clientX));
        root.focus();
    };
    // The desk's keys must not scroll the page; every other key (Tab out of the editor…) keeps its default.
    state.onKeyDown = (e) => {
        if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", " "].includes(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
        }
    };
    root.addEventListener("keydown", state.onKeyDown);
    track.addEventListener("pointerdown", state.onPointerDown);
    track.addEventListener("pointermove", state.onPointerMove);
    track.addEventListener("pointerup", state.onPointerUp);
    root.focus();
}

export function seek(root, seconds) {
    const state = states.get(root);
    if (state?.video) state.video.currentTime = seconds;
}

// rate > 0 plays forward at that speed; rate < 0 runs backwards (emulated: browsers do not play in reverse); 0 pauses.
export function shuttle(root, rate) {
    const state = states.get(root);
    if (!state?.video) return;
    const video = state.video;
    if (state.timer !== null) { clearInterval(state.timer); state.timer = null; }
    if (rate > 0) {
        video.playbackRate = rate;
        video.play().catch(() => { /* autoplay refused: stays paused */ });
    } else {
        video.pause();
        if (rate < 0) {
            state.timer = setInterval(() => {
                video.currentTime = Math.max(0, video.currentTime + rate * 0.1);
                if (video.currentTime <= 0) { clearInterval(state.timer); state.timer = null; }
            }, 100);
        }
    }
}

export function detach(root) {
    const state = states.get(root);
    if (!state) return;
    if (state.timer !== null) clearInterval(state.timer);
    if (state.video) {
        state.video.removeEventListener("timeupdate", state.onTime);
        state.video.removeEventListener("seeked", state.onSeeked);
        state.video.removeEventListener("pause", state.onPause);
    }
    root.removeEventListener("keydown", state.onKeyDown);
    state.track.removeEventListener("pointerdown", state.onPointerDown);
    state.track.removeEventListener("pointermove", state.onPointerMove);
    state.track.removeEventListener("pointerup", state.onPointerUp);
    states.delete(root);
}
