import { z } from 'zod';
import type { IssueCode } from '../issues';

/**
 * The ranges of the definition's numbers: each number reaches a program on the hosts (the kernel,
 * systemd-networkd, keepalived, OSA's inventory generator and LXC), and a value outside what that
 * program accepts is refused there, or changed or dropped without a word. One entry per kind of
 * number, each with its own issue code; every numeric field of the model is one of these kinds
 * (schema.ts, `boundedInt`; a test walks the schema to make sure). The shape check reports a value
 * out of range under the kind's code (rules/src/shape.ts), and the definition reference prints the
 * range and who sets it (schema-reference.ts), both from this table; docs/osa-facts.md#numeric-ranges
 * has the sources.
 */
export interface NumericBound {
  /** The issue a value outside the range gets. */
  readonly code: IssueCode;
  /** What the number is, for messages: "VLAN id". */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** Which program sets the range and what it does outside it, for messages and the reference. */
  readonly setBy: string;
}

export const NUMERIC_BOUNDS = {
  vlanId: {
    code: 'VLAN_ID_RANGE',
    what: 'VLAN id',
    min: 1,
    max: 4094,
    setBy:
      "the kernel's 802.1Q driver refuses 4095 and above, and systemd-networkd's `[VLAN] Id=` takes 0–4094, where 0 means priority tagging, not a VLAN",
  },
  routerId: {
    code: 'VRID_RANGE',
    what: 'VRRP router id',
    min: 1,
    max: 255,
    setBy:
      "keepalived's `virtual_router_id` (VRRP's 8-bit router id; keepalived refuses 0 and anything above 255, and OSA passes the value on unchecked)",
  },
  mtu: {
    code: 'MTU_RANGE',
    what: 'MTU',
    min: 1280,
    max: 65535,
    setBy:
      "the kernel's bond, VLAN, bridge and veth devices take at most 65535 (ETH_MAX_MTU); systemd-networkd raises an MTU below 1280 to 1280 on a link with IPv6, on by default (link-local addressing) on the bond, the bridges and the containers' interfaces; OSA and the systemd_networkd role drop a 0",
  },
  affinity: {
    code: 'AFFINITY_RANGE',
    what: 'affinity',
    min: 0,
    max: 1022,
    setBy:
      "OSA's inventory generator reads a negative affinity as 0 without a word; a Linux bridge takes at most 1023 ports (BR_MAX_PORTS 1024, port 0 reserved), and every container of a host joins br-mgmt, which also has the host's own uplink",
  },
} as const satisfies Record<string, NumericBound>;

export type NumericBoundKind = keyof typeof NUMERIC_BOUNDS;

/** Metadata key that marks a number schema with its kind (read by shape.ts and the reference). */
export const BOUND_META_KEY = 'osaGitopsBound';

/**
 * An integer of one kind: zod checks the range, and the kind rides along as metadata so the shape
 * check can report the kind's own code and the reference can say who sets the range.
 */
export function boundedInt(kind: NumericBoundKind) {
  const b = NUMERIC_BOUNDS[kind];
  // abort: a fraction is SCHEMA_INVALID alone, not also out of range.
  return z
    .number()
    .int({ abort: true })
    .min(b.min)
    .max(b.max)
    .meta({ [BOUND_META_KEY]: kind });
}

/** The kind a schema was built with by `boundedInt`, if any. */
export function boundKindOf(schema: z.ZodType): NumericBoundKind | undefined {
  const kind = z.globalRegistry.get(schema)?.[BOUND_META_KEY];
  return typeof kind === 'string' && Object.hasOwn(NUMERIC_BOUNDS, kind)
    ? (kind as NumericBoundKind)
    : undefined;
}

/** "1–4094", for messages and the reference. */
export function boundRange(kind: NumericBoundKind): string {
  const b = NUMERIC_BOUNDS[kind];
  return `${b.min}–${b.max}`;
}
