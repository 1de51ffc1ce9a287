// Go's hardened images: dhi.io/golang exists from 1.22.12 (and these patch floors on).
import { UserError } from "../../context/fs.js";
import { NONROOT } from "../../kit/hardened.js";
import type { HardenedSpec } from "../../kit/provider.js";

const GO_PATCH_FLOORS: Record<string, number> = { "1.22": 12, "1.23": 7, "1.24": 1 };

function goFloor(version: string): { version: string; warning?: string } {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number | undefined];
  if (major === 1 && minor < 22) {
    throw new UserError(`Go ${version} has no hardened image (USE_DHI=true needs Go 1.22.12 or newer); raise the go directive in go.mod or GO_VERSION, or build without USE_DHI.`, "go.mod");
  }
  const floor = GO_PATCH_FLOORS[`${major}.${minor}`];
  if (floor !== undefined && patch !== undefined && patch < floor) {
    const raised = `${major}.${minor}.${floor}`;
    return { version: raised, warning: `Go ${version} has no hardened image; using ${raised}, the oldest hardened ${major}.${minor} release.` };
  }
  return { version };
}

export const GO_HARDENED: HardenedSpec = { repo: "golang", official: ["golang"], user: NONROOT, floor: goFloor };
