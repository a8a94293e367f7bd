import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * A component whose code is fetched only once `enabled` holds (null until it has loaded). A view's extra panels load
 * this way after its first result, so their code (and the core they import) is not in the page's first chunk.
 */
export function useLazyComponent<P>(enabled: boolean, load: () => Promise<ComponentType<P>>): ComponentType<P> | null {
  const [component, setComponent] = useState<{ readonly C: ComponentType<P> } | null>(null);
  useEffect(() => {
    if (!enabled || component) return undefined;
    let live = true;
    void load().then((C) => live && setComponent({ C }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is a constant import
  }, [enabled, component]);
  return component?.C ?? null;
}
