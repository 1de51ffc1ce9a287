// gRPC status helpers for the stdio client: code names, the spec's HTTP →
// gRPC code mapping, tolerant grpc-message decoding, and the "Code: " prefix
// that BuildKit prepends to a message at every hop.

export const GrpcCode = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5,
  ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9,
  ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14,
  DATA_LOSS: 15, UNAUTHENTICATED: 16,
} as const;

// grpc-go's codes.Code.String() spellings: BuildKit's grpcerrors writes these.
const CODE_NAMES = [
  "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
  "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange",
  "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated",
];

// From gRPC's doc/http-grpc-status-mapping.md; any other status is UNKNOWN.
const HTTP_TO_GRPC: Record<number, number> = {
  400: GrpcCode.INTERNAL,
  401: GrpcCode.UNAUTHENTICATED,
  403: GrpcCode.PERMISSION_DENIED,
  404: GrpcCode.UNIMPLEMENTED,
  429: GrpcCode.UNAVAILABLE,
  502: GrpcCode.UNAVAILABLE,
  503: GrpcCode.UNAVAILABLE,
  504: GrpcCode.UNAVAILABLE,
};

/** The gRPC code a client must report for a non-200 HTTP response. */
export function codeForHttpStatus(httpStatus: number): number {
  return HTTP_TO_GRPC[httpStatus] ?? GrpcCode.UNKNOWN;
}

/**
 * Percent-decodes a grpc-message header. The spec says a malformed value must
 * not fail the call, so bad escapes stay as written and invalid UTF-8 becomes
 * U+FFFD (decodeURIComponent would throw inside the stream's event handler).
 */
export function decodeGrpcMessage(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; ) {
    const hex = raw.slice(i + 1, i + 3);
    if (raw[i] === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      const cp = raw.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, "utf8"));
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** grpc-go's name of a code ("InvalidArgument"), as BuildKit prints it. */
export function codeName(code: number): string {
  return CODE_NAMES[code] ?? `Code(${code})`;
}

const PREFIXES = new RegExp(`^(?:(?:${CODE_NAMES.join("|")}): )+`);

/**
 * Drops leading "InvalidArgument: "-style prefixes. BuildKit's grpcerrors
 * prepends the code name when it turns a status into an error, and copies
 * that text back into the message when the error is wrapped, so a message
 * passed through a hop arrives prefixed; if we returned it as is, BuildKit
 * would add its own prefix again ("InvalidArgument: InvalidArgument: ...").
 * The code itself travels in the status, so nothing is lost.
 */
export function stripCodePrefixes(message: string): string {
  return message.replace(PREFIXES, "");
}
