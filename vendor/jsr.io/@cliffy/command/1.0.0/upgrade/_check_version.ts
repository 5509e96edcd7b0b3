import { bold, yellow } from "jsr:@std/fmt@^1.0.9/colors";
import { Command } from "../command.ts";

/** Check if new version is available and add hint to version. */
// deno-lint-ignore no-explicit-any
export async function checkVersion(cmd: Command<any>): Promise<void> {
  const mainCommand = cmd.getMainCommand();
  const upgradeCommand = mainCommand.getCommand("upgrade");

  if (!isUpgradeCommand(upgradeCommand)) {
    return;
  }

  if (!await upgradeCommand.hasRequiredPermissions()) {
    // If not all required permissions were pre-granted, skip the version check to prevent prompting user
    return;
  }
  const latestVersion = await upgradeCommand.getLatestVersion();
  const currentVersion = mainCommand.getVersion();

  if (!currentVersion || currentVersion === latestVersion) {
    return;
  }
  const versionHelpText =
    `(New version available: ${latestVersion}. Run '${mainCommand.getName()} upgrade' to upgrade to the latest version!)`;

  mainCommand.version(`${currentVersion}  ${bold(yellow(versionHelpText))}`);
}

function isUpgradeCommand(command: unknown): command is UpgradeCommandImpl {
  return command instanceof Command && "getLatestVersion" in command &&
    "hasRequiredPermissions" in command;
}

interface UpgradeCommandImpl {
  hasRequiredPermissions(): Promise<boolean>;
  getLatestVersion(): Promise<string>;
}
