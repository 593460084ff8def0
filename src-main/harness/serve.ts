/** `npm run dev:web`: serves the built renderer with the real handlers on 127.0.0.1 for a person. */
import { resolve } from 'node:path';
import { loadCorpus } from '../main/services/corpus';
import { startHarness } from './server';

const corpus = loadCorpus();
const port = Number(process.env.PORT ?? 5780);
// A person is at the keyboard: open dialogs are the browser's file picker, saves are downloads.
const h = await startHarness({ rendererDir: resolve('out/renderer'), corpus: () => corpus, port, browserDialogs: true });
console.log(`Pilot Desk (browser harness) at ${h.url}  — loopback only; Ctrl+C to stop.`);
