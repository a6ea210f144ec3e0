import { useEffect, useRef } from "react";

/** What counts as a person being there. */
const ACTIVITY_EVENTS = ["keydown", "mousedown", "mousemove", "wheel", "touchstart"] as const;
/** How often the idle time is checked. */
const CHECK_EVERY_MS = 5_000;

/**
 * Calls `onIdle` once after `minutes` without keyboard, mouse or touch activity in this page
 * (nothing while `minutes` is undefined). Checked against the clock, so a sleeping laptop
 * locks as soon as it wakes.
 */
export function useIdleTimer(minutes: number | undefined, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;
  useEffect(() => {
    if (minutes === undefined || minutes <= 0) return;
    let lastActivity = Date.now();
    const touch = () => {
      lastActivity = Date.now();
    };
    for (const event of ACTIVITY_EVENTS) window.addEventListener(event, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity >= minutes * 60_000) {
        window.clearInterval(timer);
        onIdleRef.current();
      }
    }, CHECK_EVERY_MS);
    return () => {
      window.clearInterval(timer);
      for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, touch, { capture: true });
    };
  }, [minutes]);
}
