/**
 * `deno task bench [rounds] [-- extra wrk options]`: runs this tool and wrk alternately against the same local
 * target (nginx with one worker when installed, else the built-in demo server in its own process) and prints
 * requests/s, client CPU per request (user+sys) and peak RSS for both, with the ratios. The `-R` case compares
 * with wrk2 instead, when a `wrk2` binary is on PATH (wrk2 is not in Debian: build it from its source); the HTTP/2
 * cases with h2load (Debian: `nghttp2-client`), and `--streams 1` with this tool's own HTTP/1.1 against the same
 * server, nginx and h2o (Debian: `h2o`, skipped when absent). Figures are medians of
 * the rounds, ratios the medians of each round's ratio (the two runs of a round are back to back); trust the
 * ratios from one run, not absolute numbers (client and server share the cores).
 *
 * Needs wrk (Debian: `apt-get install wrk`) and GNU time (`apt-get install time`); nginx is optional.
 *
 * `BENCH_ONLY=<text>` runs only the cases whose name contains it (`BENCH_ONLY=HTTP/2`). `BENCH_OURS_FLAGS` adds options to this tool's command only (blank-separated), to measure what an option of
 * ours costs against the same peer: `BENCH_OURS_FLAGS="--json /tmp/bench.json" deno task bench`.
 */

import { PERMISSIONS, V8_FLAGS } from "../scripts/compile.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const decoder = new TextDecoder();

interface Sample {
  requestsPerSec: number;
  cpuUsPerRequest: number;
  rssMiB: number;
}

interface BenchCase {
  name: string;
  args: string[];
  /** A Lua script both tools run, relative to the repository. */
  script?: string;
  /** Over TLS (wrk does not verify the certificate; this tool verifies it against the test CA). */
  tls?: boolean;
  /** With `tls`: this tool runs with `-k` instead of `--cacert` (wrk never verifies). */
  insecure?: boolean;
  /**
   * The tool to compare with: wrk (default), wrk2 for `-R` (when a `wrk2` binary is on PATH), or h2load for
   * `--http2` (nghttp2's, at the same connections and streams), or `http1`: this tool itself over HTTP/1.1
   * against the same server (what `--http2 --streams 1` costs against plain HTTP/1.1 there).
   */
  peer?: "wrk" | "wrk2" | "h2load" | "http1";
  /** With `--http2`: streams per connection; the case runs against the target's h2c listener. */
  streams?: number;
  /**
   * `h2o`: the case runs against h2o (one thread, a static file) instead of the main target, when an `h2o`
   * binary is installed (Debian: `apt-get install h2o`), HTTP/1.1 and h2c on the same port.
   */
  server?: "h2o";
}

interface Target {
  url: string;
  tlsUrl: string;
  /** h2c with prior knowledge (nginx only); null when the target has none. */
  h2cUrl: string | null;
  name: string;
  stop: () => Promise<void>;
}

const TLS_DIR = `${ROOT}tests/fixtures/tls/`;

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The command's path on PATH (plus the sbin folders, where Debian puts nginx), or null. */
function which(command: string): string | null {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), "/usr/sbin", "/sbin"];
  return dirs.map((dir) => `${dir}/${command}`).find(isFile) ?? null;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`target did not start on port ${port}`);
}

/** Starts the target; returns its URLs (plain and TLS), a description and a stop function. */
async function startTarget(): Promise<Target> {
  const port = freePort();
  const tlsPort = freePort();
  const h2cPort = freePort();
  const nginx = which("nginx");
  if (nginx !== null) {
    const dir = await Deno.makeTempDir({ prefix: "wrk-deno-bench-" });
    // The leaf and its CA, as servers send their chain: `-k` then runs on Deno's TLS (lib/preflight/insecure_tls.ts).
    await Deno.writeTextFile(
      `${dir}/chain.pem`,
      Deno.readTextFileSync(`${TLS_DIR}server.pem`) + Deno.readTextFileSync(`${TLS_DIR}ca.pem`),
    );
    await Deno.writeTextFile(
      `${dir}/nginx.conf`,
      `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 16384; }
http { access_log off; keepalive_requests 10000000;
  server { listen 127.0.0.1:${port}; location / { return 200 "Hello, World!\\n"; } }
  server { listen 127.0.0.1:${h2cPort} http2; location / { return 200 "Hello, World!\\n"; } }
  server { listen 127.0.0.1:${tlsPort} ssl http2; ssl_certificate ${dir}/chain.pem;
    ssl_certificate_key ${TLS_DIR}server.key; location / { return 200 "Hello, World!\\n"; } } }\n`,
    );
    const child = new Deno.Command(nginx, { args: ["-c", `${dir}/nginx.conf`, "-p", dir], stderr: "null" })
      .spawn();
    await waitForPort(port);
    await waitForPort(tlsPort);
    await waitForPort(h2cPort);
    return {
      url: `http://127.0.0.1:${port}/`,
      tlsUrl: `https://127.0.0.1:${tlsPort}/`,
      h2cUrl: `http://127.0.0.1:${h2cPort}/`,
      name: "nginx (1 worker, return 200)",
      stop: async () => {
        child.kill("SIGQUIT");
        await child.status;
        await Deno.remove(dir, { recursive: true });
      },
    };
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      `${ROOT}bench/_target_server.ts`,
      String(port),
      String(tlsPort),
    ],
    stdout: "null",
  }).spawn();
  await waitForPort(port);
  await waitForPort(tlsPort);
  return {
    url: `http://127.0.0.1:${port}/`,
    tlsUrl: `https://127.0.0.1:${tlsPort}/`,
    h2cUrl: null,
    name: "built-in Deno.serve server (nginx not installed)",
    stop: async () => {
      child.kill();
      await child.status;
    },
  };
}

/**
 * h2o with one thread serving a static file on one port, HTTP/1.1 and h2c with prior knowledge both: a server
 * whose HTTP/2 costs about what its HTTP/1.1 does (nginx writes an HTTP/2 response's HEADERS and DATA in two
 * writes, so its h2c costs the shared cores more than its HTTP/1.1). Null when h2o is not installed.
 */
async function startH2o(): Promise<{ url: string; stop: () => Promise<void> } | null> {
  const h2o = which("h2o");
  if (h2o === null) return null;
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "wrk-deno-bench-h2o-" });
  await Deno.mkdir(`${dir}/root`);
  await Deno.writeTextFile(`${dir}/root/index.html`, "Hello, World!\n");
  await Deno.writeTextFile(
    `${dir}/h2o.conf`,
    `num-threads: 1
listen:
  host: 127.0.0.1
  port: ${port}
hosts:
  "default":
    paths:
      "/":
        file.dir: ${dir}/root
error-log: ${dir}/error.log
`,
  );
  const child = new Deno.Command(h2o, { args: ["-c", `${dir}/h2o.conf`], stdout: "null", stderr: "null" })
    .spawn();
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Runs one load generator under GNU time; returns its figures. */
async function measure(command: string[]): Promise<Sample> {
  const timeFile = await Deno.makeTempFile();
  const output = await new Deno.Command("/usr/bin/time", {
    args: ["-o", timeFile, "-f", "%U %S %M", ...command],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    // Deno checks for a newer release half a second into a run: at most once a day where it reaches the
    // network, in every run where it cannot (an offline machine). Its TLS roots and DNS lookup then count in
    // the RSS measured, Deno's memory, not this tool's (docs/benchmarks.md#memory-per-thread). wrk ignores it.
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  }).output();
  const stdout = decoder.decode(output.stdout);
  const times = (await Deno.readTextFile(timeFile)).trim().split("\n").pop()!.split(" ").map(Number);
  await Deno.remove(timeFile);
  // wrk's report, or h2load's (`finished in 5.00s, 81234.40 req/s` and `requests: … N succeeded`).
  const total = stdout.match(/^\s+(\d+) requests in/m) ?? stdout.match(/^requests: .* (\d+) succeeded/m);
  const rate = stdout.match(/^Requests\/sec:\s+([\d.]+)/m) ??
    stdout.match(/^finished in [^,]+, ([\d.]+) req\/s/m);
  if (!output.success || total === null || rate === null) {
    throw new Error(`${command.join(" ")} failed:\n${stdout}${decoder.decode(output.stderr)}`);
  }
  const [userS, sysS, rssKiB] = times;
  return {
    requestsPerSec: Number(rate[1]),
    cpuUsPerRequest: ((userS + sysS) * 1e6) / Number(total[1]),
    rssMiB: rssKiB / 1024,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(samples: Sample[]): Sample {
  return {
    requestsPerSec: median(samples.map((s) => s.requestsPerSec)),
    cpuUsPerRequest: median(samples.map((s) => s.cpuUsPerRequest)),
    rssMiB: median(samples.map((s) => s.rssMiB)),
  };
}

function row(label: string, s: Sample): string {
  return `  ${label.padEnd(10)} ${s.requestsPerSec.toFixed(0).padStart(10)} req/s ${
    s.cpuUsPerRequest.toFixed(2).padStart(7)
  } µs CPU/req ${s.rssMiB.toFixed(1).padStart(7)} MiB RSS`;
}

/** h2load at the case's threads, connections, duration and streams (`-t1 -c50 -d5s` → `-t1 -c50 -D 5 -m N`). */
function h2loadCommand(h2load: string, benchCase: BenchCase, url: string): string[] {
  const value = (flag: string) => benchCase.args.find((arg) => arg.startsWith(flag))!.slice(flag.length);
  return [
    h2load,
    `-t${value("-t")}`,
    `-c${value("-c")}`,
    "-D",
    String(parseFloat(value("-d"))),
    "-m",
    String(benchCase.streams ?? 1),
    url,
  ];
}

async function main(): Promise<void> {
  const separator = Deno.args.indexOf("--");
  const rounds = Number(Deno.args[0] && Deno.args[0] !== "--" ? Deno.args[0] : 3);
  const extra = separator >= 0 ? Deno.args.slice(separator + 1) : [];
  const peers = { wrk: which("wrk"), wrk2: which("wrk2"), h2load: which("h2load"), http1: Deno.execPath() };
  if (peers.wrk === null) {
    console.log("wrk is not installed (apt-get install wrk): only this tool's figures are shown");
  }
  if (peers.wrk2 === null) console.log("wrk2 is not on PATH: the -R case shows only this tool's figures");
  if (!isFile("/usr/bin/time")) {
    throw new Error("GNU time is needed for CPU and RSS figures: apt-get install time");
  }
  const cases: BenchCase[] = [
    { name: "-t1 -c50, no script", args: ["-t1", "-c50", "-d5s"] },
    { name: "-t1 -c50, static request()", args: ["-t1", "-c50", "-d5s"], script: "bench/static_request.lua" },
    {
      name: "-t1 -c50, scripted: wrk.format() with a changing path and header, response() reading a header",
      args: ["-t1", "-c50", "-d5s"],
      script: "bench/scripted.lua",
    },
    {
      name: "-t1 -c50, Lua-heavy: a pure-Lua JSON body (gsub, string.format, table.sort) per request",
      args: ["-t1", "-c50", "-d5s"],
      script: "bench/lua_heavy.lua",
    },
    { name: "-t1 -c50, HTTPS", args: ["-t1", "-c50", "-d5s"], tls: true },
    {
      name: "-t1 -c50, HTTPS -k (no verification)",
      args: ["-t1", "-c50", "-d5s"],
      tls: true,
      insecure: true,
    },
    { name: "-t2 -c1000, no script", args: ["-t2", "-c1000", "-d5s"] },
    {
      // As public framework benchmarks (TechEmpower's plaintext) drive servers: 16 requests in every write.
      name: "-t2 -c256, pipelined: static request() of 16 requests",
      args: ["-t2", "-c256", "--timeout", "8", "-d5s"],
      script: "bench/pipeline16.lua",
    },
    { name: "-t8 -c400, no script", args: ["-t8", "-c400", "-d5s"] },
    {
      name: "-t8 -c400, scripted: wrk.format() with a changing path and header, response() reading a header",
      args: ["-t8", "-c400", "-d5s"],
      script: "bench/scripted.lua",
    },
    {
      // 15 s, as rate-mode runs go (wrk2 itself calibrates for 10 s before it counts): in 5 s, the tool's
      // start-up and V8's compiling weigh on a figure that a rate-mode user does not see.
      name: "-t1 -c50 -R 20k, paced (wrk2's open model)",
      args: ["-t1", "-c50", "-d15s", "-R", "20k"],
      peer: "wrk2",
    },
    { name: "-t1 -c50, HTTP/2 (h2c), 1 stream", args: ["-t1", "-c50", "-d5s"], peer: "h2load", streams: 1 },
    {
      name: "-t1 -c50, HTTP/2 (h2c), 10 streams",
      args: ["-t1", "-c50", "-d5s"],
      peer: "h2load",
      streams: 10,
    },
    {
      name: "-t1 -c50, HTTP/2 over TLS (h2), 10 streams",
      args: ["-t1", "-c50", "-d5s"],
      peer: "h2load",
      streams: 10,
      tls: true,
    },
    {
      name: "-t1 -c50, HTTP/2 (h2c) 1 stream against our own HTTP/1.1, nginx",
      args: ["-t1", "-c50", "-d5s"],
      peer: "http1",
      streams: 1,
    },
    {
      name: "-t1 -c50, HTTP/2 (h2c) 1 stream against our own HTTP/1.1, h2o (1 thread)",
      args: ["-t1", "-c50", "-d5s"],
      peer: "http1",
      streams: 1,
      server: "h2o",
    },
  ];
  // `BENCH_ONLY=<text>` runs only the cases whose name contains it.
  const selected = cases.filter((benchCase) => benchCase.name.includes(Deno.env.get("BENCH_ONLY") ?? ""));
  const target = await startTarget();
  const h2o = selected.some((benchCase) => benchCase.server === "h2o") ? await startH2o() : null;
  console.log(`target: ${target.name} at ${target.url}; ${rounds} rounds per case, medians shown`);
  console.log(
    `machine: ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, ${Deno.build.target}`,
  );
  try {
    for (const benchCase of selected) {
      const args = [...benchCase.args, ...extra, ...(benchCase.script ? ["-s", benchCase.script] : [])];
      if (benchCase.streams !== undefined && target.h2cUrl === null) {
        console.log(`\n${benchCase.name}: skipped (the target has no h2c listener: install nginx)`);
        continue;
      }
      if (benchCase.server === "h2o" && h2o === null) {
        console.log(`\n${benchCase.name}: skipped (h2o is not installed: apt-get install h2o)`);
        continue;
      }
      const url = benchCase.server === "h2o"
        ? h2o!.url
        : benchCase.tls
        ? target.tlsUrl
        : benchCase.streams !== undefined
        ? target.h2cUrl!
        : target.url;
      // The `http1` peer: the same server over HTTP/1.1 (h2o answers both on one port).
      const http1Url = benchCase.server === "h2o" ? h2o!.url : target.url;
      const ourFlags = [
        ...(benchCase.tls ? (benchCase.insecure ? ["-k"] : ["--cacert", `${TLS_DIR}ca.pem`]) : []),
        ...(benchCase.streams !== undefined ? ["--http2", "--streams", String(benchCase.streams)] : []),
      ];
      const ours: Sample[] = [];
      const theirs: Sample[] = [];
      const peerName = benchCase.peer ?? "wrk";
      const peer = peers[peerName];
      // As docs/install.md runs it: the binary's permissions and V8 settings.
      const ourRun = [Deno.execPath(), "run", ...PERMISSIONS, V8_FLAGS, "cli.ts"];
      const ourCommand = [
        ...ourRun,
        ...ourFlags,
        ...(Deno.env.get("BENCH_OURS_FLAGS") ?? "").split(/\s+/).filter((flag) => flag !== ""),
        ...args,
        url,
      ];
      for (let i = 0; i < rounds; i++) {
        // Each round runs both back to back, which goes first alternating, so that drifts in machine load hit
        // both tools alike; the ratios below are the medians of the rounds' own ratios.
        const peerCommand = peerName === "h2load"
          ? h2loadCommand(peer!, benchCase, url)
          : peerName === "http1"
          ? [...ourRun, ...args, http1Url]
          : [peer!, ...args, url];
        if (peer !== null && i % 2 === 1) theirs.push(await measure(peerCommand));
        ours.push(await measure(ourCommand));
        if (peer !== null && i % 2 === 0) theirs.push(await measure(peerCommand));
      }
      const a = summarize(ours);
      console.log(`\n${benchCase.name} (${args.join(" ")})`);
      console.log(row("wrk-deno", a));
      if (theirs.length > 0) {
        const b = summarize(theirs);
        console.log(row(peerName === "http1" ? "HTTP/1.1" : peerName, b));
        const ratio = (pick: (s: Sample) => number) => median(ours.map((s, i) => pick(s) / pick(theirs[i])));
        const perRound = ours.map((s, i) => (s.requestsPerSec / theirs[i].requestsPerSec).toFixed(2)).join(
          " ",
        );
        console.log(
          `  ratio      req/s ${ratio((s) => s.requestsPerSec).toFixed(2)}×   CPU/req ${
            ratio((s) => s.cpuUsPerRequest).toFixed(2)
          }×   RSS ${(a.rssMiB / b.rssMiB).toFixed(1)}×   (req/s ratio by round: ${perRound})`,
        );
      }
    }
  } finally {
    await h2o?.stop();
    await target.stop();
  }
}

await main();
