import { useEffect, useState } from "preact/hooks";

/**
 * False until `condition` has held on a painted frame, then true for good. A view's extra panels mount with it
 * after its first result is on screen (Preact runs effects after the paint), so they add nothing before that result.
 */
export function useLatchAfterPaint(condition: boolean): boolean {
  const [latched, setLatched] = useState(false);
  useEffect(() => {
    if (condition && !latched) setLatched(true);
  }, [condition, latched]);
  return latched;
}
