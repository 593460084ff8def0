/**
 * Main trusts nothing from the page. Every IPC call's arguments are parsed here, by one schema per
 * channel, before a handler sees them: a compromised renderer can ask only what the app itself
 * asks, within bounds. Paths never come from the page (a save dialog gets a file name and an
 * extension from an allow-list; "show in folder" only shows files main itself saved).
 */
import { z } from 'zod';
import type { Channel, ChannelArgs } from '../shared/ipc-contract';
import { CHANNELS } from '../shared/ipc-contract';
import { MAX_ATTACHMENT_BYTES, STATUSES } from '../shared/domain';
import { LIMITS } from '../shared/records';
import { VIEWABLE, extensionOf, plainFileName } from '../shared/evidence/fileType';
import { REPORT_KINDS } from '../shared/report/model';
import { draftSectionSchema, gongwenFormSchema } from '../shared/report/draftSchema';
import { DRAFT_SECTION_KEYS } from '../shared/report/draft';
import { ROUND_LIMITS, reviewDecisionSchema, roundSchema, submissionSchema } from '../shared/rounds/schema';
import { fail, ok, type Result } from '../shared/result';

/** The largest file the page may ask main to read or write (a city bundle is a few MB; ×4 tens). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Bytes, as they arrive over Electron's IPC (a Uint8Array, or a Buffer) or the harness's wire
 * format — from any realm, so not by `instanceof` (a page's or jsdom's Uint8Array is another
 * constructor than main's).
 */
const isUint8Array = (v: unknown): v is Uint8Array => Object.prototype.toString.call(v) === '[object Uint8Array]';
const bytes = (max: number) =>
  z.custom<Uint8Array>((v) => isUint8Array(v) && v.byteLength <= max, { message: `数据须为不超过 ${Math.round(max / 1024 / 1024)} MB 的字节` });

const shortText = (max: number) => z.string().max(max);
/** A page origin as `location.origin` gives it. */
const originText = z.string().regex(/^((app|file|https?):\/\/[A-Za-z0-9.:[\]-]*|null)$/).max(200);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const filters = z
  .array(z.strictObject({ name: shortText(100), extensions: z.array(z.string().regex(/^[a-z0-9]{1,12}$/)).min(1).max(20) }))
  .max(10);

/** A record the page sends for a report: its keys are checked by the report model; here, bounded. */
const record = z.looseObject({ taskId: shortText(16).optional(), unitCode: shortText(32).optional() });

const reportInput = z.looseObject({
  kind: z.enum(REPORT_KINDS as [string, ...string[]]),
  units: z.array(z.looseObject({ code: shortText(32), name: shortText(100) })).max(1_000),
  annotations: z.array(record).max(200_000),
  logEntries: z.array(record).max(1_000_000).optional(),
  evidence: z.array(record).max(1_000_000).optional(),
  scope: z.strictObject({
    unitCodes: z.array(shortText(32)).max(1_000),
    tables: z.array(z.number().int().min(1).max(99)).max(99),
    statuses: z.array(shortText(32)).max(20),
  }),
  asOf: isoDate,
  title: shortText(200),
  issuer: shortText(200),
  signDate: isoDate,
  appVersion: shortText(64).optional(),
  monthly: z.looseObject({ dates: z.array(isoDate).max(1_000) }).optional(),
  changesSince: z.looseObject({ periodName: shortText(200), frozenAt: shortText(40), entries: z.array(record).max(200_000) }).optional(),
  // A saved draft's body and its 公文 form: checked whole (rich text with the draft-only nodes).
  form: gongwenFormSchema.optional(),
  draft: z.strictObject({ sections: z.array(draftSectionSchema).max(DRAFT_SECTION_KEYS.length) }).optional(),
  extensions: z.array(record).max(500_000).optional(),
  acceptedOnly: z.strictObject({ leftOut: z.number().int().min(0) }).optional(),
});

type ArgSchemas = { [C in Channel]: z.ZodType<ChannelArgs<C>> };

/** One schema per channel: the argument tuple, exactly. */
const ARG_SCHEMAS = {
  'corpus:get': z.tuple([]),
  'app:info': z.tuple([]),
  'file:open': z.tuple([z.strictObject({ title: shortText(200).optional(), filters: filters.optional(), maxBytes: z.number().int().min(1).max(MAX_FILE_BYTES), kind: z.literal('bundle').optional() })]),
  'file:openMany': z.tuple([
    z.strictObject({ title: shortText(200).optional(), filters: filters.optional(), maxBytes: z.number().int().min(1).max(MAX_FILE_BYTES), maxFiles: z.number().int().min(1).max(100) }),
  ]),
  'file:save': z.tuple([z.strictObject({ title: shortText(200).optional(), defaultName: shortText(255), bytes: bytes(MAX_FILE_BYTES) })]),
  'file:openWithSystem': z.tuple([z.strictObject({ name: shortText(255), bytes: bytes(MAX_ATTACHMENT_BYTES) })]),
  'app:storageOrigin': z.tuple([originText]),
  'report:export': z.tuple([
    z.strictObject({
      input: reportInput,
      format: z.enum(['docx', 'xlsx']),
      defaultName: shortText(255),
      document: z.enum(['report', 'cases']).optional(),
    }),
  ]),
  'matrix:export': z.tuple([
    z.strictObject({
      units: z.array(z.strictObject({ code: shortText(32), name: shortText(100), kind: z.enum(['district', 'zone', 'city']) })).max(1_000),
      annotations: z
        .array(z.strictObject({ taskId: shortText(16), unitCode: shortText(32), status: z.enum(STATUSES), deadline: isoDate.nullable() }))
        .max(200_000),
      asOf: isoDate,
      sort: z.strictObject({ key: z.union([z.enum(['task', 'city']), z.string().regex(/^unit:[A-Za-z0-9]{1,32}$/)]), dir: z.enum(['asc', 'desc']) }),
      defaultName: shortText(255),
    }),
  ]),
  'circular:export': z.tuple([
    z.strictObject({
      input: z.strictObject({
        round: roundSchema,
        submissions: z.array(submissionSchema).max(ROUND_LIMITS.submissions),
        reviews: z.array(reviewDecisionSchema).max(ROUND_LIMITS.reviews),
        annotations: z
          .array(
            z.strictObject({
              taskId: shortText(16),
              unitCode: shortText(32),
              status: z.enum(STATUSES),
              deadline: isoDate.nullable(),
              problems: shortText(LIMITS.text),
              updatedAt: shortText(40),
            }),
          )
          .max(200_000),
        units: z.array(z.strictObject({ code: shortText(32), name: shortText(100) })).max(1_000),
        asOf: isoDate.optional(),
        issuer: shortText(200).optional(),
        signDate: isoDate.optional(),
        form: gongwenFormSchema.optional(),
      }),
      defaultName: shortText(255),
    }),
  ]),
  'file:showInFolder': z.tuple([shortText(4096)]),
  'backup:list': z.tuple([]),
  'backup:write': z.tuple([z.strictObject({ bytes: bytes(MAX_FILE_BYTES), kind: z.enum(['auto', 'restore']).optional() })]),
  'origin:handOver': z.tuple([
    z.strictObject({
      origin: originText,
      backup: shortText(100).nullable(),
      profile: z
        .strictObject({ name: shortText(40), unitCode: shortText(32), language: z.enum(['zh-CN', 'en']), role: z.enum(['official', 'supervisor']) })
        .nullable(),
    }),
  ]),
  'origin:moved': z.tuple([z.strictObject({ origin: originText, ok: z.boolean(), reason: shortText(500).optional() })]),
  'backup:read': z.tuple([z.strictObject({ name: shortText(100) })]),
  'backup:remove': z.tuple([z.strictObject({ name: shortText(100) })]),
  'app:quitReady': z.tuple([z.strictObject({ phase: z.enum(['started', 'done']) })]),
  'exchange:get': z.tuple([]),
  'exchange:choose': z.tuple([z.strictObject({ title: shortText(200).optional() })]),
  'exchange:write': z.tuple([z.strictObject({ name: shortText(255), bytes: bytes(MAX_FILE_BYTES) })]),
  'exchange:collect': z.tuple([z.strictObject({ maxFiles: z.number().int().min(1).max(100), maxBytes: z.number().int().min(1).max(MAX_FILE_BYTES) })]),
  'exchange:taken': z.tuple([z.strictObject({ sha256: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(100) })]),
} as unknown as ArgSchemas;

// Every channel has a schema (the object above is typed by the channel list, but check at start too).
for (const c of CHANNELS) if (!ARG_SCHEMAS[c]) throw new Error(`no argument schema for ${c}`);

/** Parses a call's arguments; a refusal names the channel and the first problem, never the values. */
export function parseArgs<C extends Channel>(channel: C, args: unknown[]): Result<ChannelArgs<C>> {
  const r = ARG_SCHEMAS[channel].safeParse(args);
  if (r.success) return ok(r.data);
  const issue = r.error.issues[0];
  return fail('ipc.bad_request', '请求参数无效，已拒绝。', `${channel}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
}

/** Extensions a save dialog may be prefilled with, and the name of each kind for the dialog's filter. */
export const SAVE_TYPES: Readonly<Record<string, string>> = {
  pilotbundle: '批注包',
  zip: '压缩文件',
  rar: '压缩文件',
  '7z': '压缩文件',
  csv: 'CSV 表格',
  json: 'JSON 文件',
  ...Object.fromEntries(Object.values(VIEWABLE).flatMap((k) => k.extensions.map((e) => [e, k.label]))),
};

/**
 * The name and filter a save dialog is opened with: a plain, normalised file name (no folder can
 * be named from the page); an extension outside SAVE_TYPES keeps its name but gains `.bin`, so a
 * page cannot prefill a `.bat` or `.lnk` that would run when opened — the person may still rename
 * it in the dialog, by their own hand.
 */
export function saveDialogName(requested: string): { defaultName: string; filters: { name: string; extensions: string[] }[] } {
  let name = plainFileName(requested);
  let ext = extensionOf(name);
  if (!Object.hasOwn(SAVE_TYPES, ext)) {
    name = `${name}.bin`;
    ext = 'bin';
  }
  return { defaultName: name, filters: [{ name: ext === 'bin' ? '文件' : SAVE_TYPES[ext]!, extensions: [ext] }] };
}
