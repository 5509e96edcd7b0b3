/**
 * Reads Linux `/proc` files for tests. Deno lets only `--allow-all` read `/proc/self`, `/proc/<pid>` and
 * `/proc/sys` directly, and the suite runs with narrower permissions, so the file is read by `cat` (which
 * `--allow-run` permits) instead.
 */

/** The text of a `/proc` file. Throws when `cat` fails (the process is gone, the file does not exist). */
export async function readProcFile(path: string): Promise<string> {
  const output = await new Deno.Command("cat", { args: [path], stdout: "piped", stderr: "piped" }).output();
  if (!output.success) throw new Error(`cat ${path}: ${new TextDecoder().decode(output.stderr).trim()}`);
  return new TextDecoder().decode(output.stdout);
}

/** The resident set size of process `pid` in bytes (`VmRSS` in `/proc/<pid>/status`), or null when it is gone. */
export async function residentBytes(pid: number): Promise<number | null> {
  let status: string;
  try {
    status = await readProcFile(`/proc/${pid}/status`);
  } catch {
    return null;
  }
  const match = status.match(/^VmRSS:\s+(\d+) kB$/m);
  return match === null ? null : Number(match[1]) * 1024;
}

/** The numbers of a whitespace-separated `/proc/sys` setting such as `net/ipv4/tcp_wmem` (min, default, max). */
export async function sysctlNumbers(name: string): Promise<number[]> {
  return (await readProcFile(`/proc/sys/${name}`)).trim().split(/\s+/).map(Number);
}

/** How many descriptors process `pid` has open (the entries of `/proc/<pid>/fd`). */
export async function openDescriptorCount(pid: number): Promise<number> {
  const output = await new Deno.Command("ls", { args: [`/proc/${pid}/fd`], stdout: "piped" }).output();
  if (!output.success) throw new Error(`ls /proc/${pid}/fd failed`);
  return new TextDecoder().decode(output.stdout).trim().split("\n").filter((line) => line !== "").length;
}
