/**
 * The names of the 督办 loop that the bundle format needs without the schemas (no zod here: the
 * format module is loaded by the verification worker and the CLI's light commands).
 */

/** What a bundle is: an ordinary exchange or backup, a district's 报送, or a supervisor's review file. */
export const BUNDLE_KINDS = ['bundle', 'submission', 'review'] as const;
export type BundleKind = (typeof BUNDLE_KINDS)[number];

/** The role the sender's profile declares (区级经办人 · 市级督办). */
export const PROFILE_ROLES = ['official', 'supervisor'] as const;
export type ProfileRole = (typeof PROFILE_ROLES)[number];

/** The entries of format version 4 that carry rounds, submission receipts and review decisions (one file each). */
export type RoundListKind = 'rounds' | 'submissions' | 'reviews';
export const ROUND_LIST_KINDS = ['rounds', 'submissions', 'reviews'] as const satisfies readonly RoundListKind[];
export const ROUND_FILES: Record<RoundListKind, string> = { rounds: 'rounds.json', submissions: 'submissions.json', reviews: 'reviews.json' };

/**
 * 通过 · 退回补充 · 销号 (verified done, evidence present: the supervisor's state, not the district's
 * 已完成) — the review state of a task; 批准延期 · 不同意延期 answer a 延期申请 (format version 5).
 */
export const REVIEW_DECISIONS = ['pass', 'return', 'close', 'extend', 'refuse_extension'] as const;
export type ReviewDecisionKind = (typeof REVIEW_DECISIONS)[number];
/** The decisions that answer a 延期申请 rather than set the task's review state. */
export const EXTENSION_DECISIONS = ['extend', 'refuse_extension'] as const satisfies readonly ReviewDecisionKind[];
export const isExtensionDecision = (k: ReviewDecisionKind): k is (typeof EXTENSION_DECISIONS)[number] => k === 'extend' || k === 'refuse_extension';
