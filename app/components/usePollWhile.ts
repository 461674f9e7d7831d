import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** Reloads the page's data every `intervalMs` while `active`: for work a worker does, such as an import or a refit. */
export function usePollWhile(active: boolean, intervalMs: number): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, revalidator]);
}
