import { FetchFileSource } from '../core/models/fetchFileSource';

/** The models folder of this page's own origin (Vite serves the repository's models/ there). */
export function defaultModelsUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}models/`, self.location.href).href;
}

/** Model files from the page's own origin only (in the page and in its worker): nothing leaves the device. */
export class BrowserFileSource extends FetchFileSource {
  constructor(baseUrl: string = defaultModelsUrl()) {
    super(baseUrl, { sameOriginAs: self.location.origin });
  }
}
