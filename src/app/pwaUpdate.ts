/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

const OFFLINE_READY_MS = 6000;

/**
 * Registers the service worker of the built site (a no-op under the dev server) and tells the
 * user about it in the #update line: once, that the app now works offline; and whenever a new
 * version has been deployed, with a Reload button that switches to it. Updates never apply by
 * themselves: a reload mid-analysis would drop the user's picture or video.
 */
export function registerOfflineSupport(root: HTMLElement): void {
  const text = root.querySelector<HTMLElement>('.update-text')!;
  const reload = root.querySelector<HTMLButtonElement>('.update-reload')!;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const show = (message: string, withReload: boolean) => {
    clearTimeout(timer);
    text.textContent = message;
    reload.hidden = !withReload;
    root.hidden = false;
  };
  const updateSW = registerSW({
    onOfflineReady() {
      show('Hands is stored on this device: it now works offline.', false);
      timer = setTimeout(() => (root.hidden = true), OFFLINE_READY_MS);
    },
    onNeedRefresh() {
      show('A new version of Hands is ready.', true);
    },
  });
  reload.addEventListener('click', () => {
    reload.disabled = true;
    void updateSW(true);
  });
}
