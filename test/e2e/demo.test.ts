/**
 * The demo as a newcomer uses it: `npm run demo` in a terminal, typing commands and button
 * numbers, through a full deposit (credited after the compressed hold) and a withdrawal.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";

class Terminal {
  private out = "";
  private mark = 0;
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on("data", (c: Buffer) => {
      this.out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      this.out += c.toString();
    });
  }
  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }
  /** Waits until the output since the last wait matches; returns the match. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const fresh = this.out.slice(this.mark);
      const m = fresh.match(pattern);
      if (m) {
        this.mark += (m.index ?? 0) + m[0].length;
        return m;
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${pattern}; screen:\n${fresh.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  screen(): string {
    return this.out;
  }
}

let term: Terminal | undefined;
afterAll(() => {
  term?.child.kill("SIGKILL");
});

describe("npm run demo", () => {
  it("takes a newcomer through a deposit and a withdrawal in the terminal", async () => {
    // Steam's 7-day hold in a tick of the demo's clock (a tenth of a second) instead of ~30 s.
    const child = spawn(process.execPath, ["--import", "tsx", "src/demo.ts"], {
      env: { ...process.env, DEMO_TIME_SCALE: "10000000", LOG_LEVEL: "error" },
      stdio: "pipe",
    });
    term = new Terminal(child);
    const link = await term.waitFor(/(http:\/\/[\d.:]+)\/dashboard\/sign-in\?token=([\w-]+)/);
    await term.waitFor(/Going live/);
    // The banner's link signs the console moderator in to the web dashboard.
    const signedIn = await fetch(`${link[1]}/dashboard/sign-in`, {
      method: "POST",
      body: new URLSearchParams({ token: link[2] ?? "" }),
      redirect: "manual",
    });
    expect(signedIn.status).toBe(303);
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const solvency = await fetch(`${link[1]}/dashboard`, { headers: { cookie } });
    expect(solvency.status).toBe(200);
    expect(await solvency.text()).toContain("<h1>Solvency</h1>");

    term.type("/link https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEf12");
    const signIn = await term.waitFor(/\[(\d+)\] Sign in through Steam[\s\S]*?\[(\d+)\] I've signed in/);
    term.type(signIn[1]!);
    await term.waitFor(
      /Steam \(sandbox\) login as 76561197972611406: Signed in as Steam account 76561197972611406/,
    );
    term.type(signIn[2]!);
    await term.waitFor(/Linked! Steam account 76561197972611406/);

    term.type("/deposit");
    await term.waitFor(/Choose skins to deposit/);
    term.type("1");
    const picked = await term.waitFor(/1 item selected · Total: (\$[\d,.]+)[\s\S]*?\[(\d+)\] Confirm/);
    const deposited = picked[1];
    term.type(picked[2]!);
    await term.waitFor(/Deposit started/);
    await term.waitFor(/DM from the bot[\s\S]*Accept it in Steam/);
    await term.waitFor(new RegExp(`Deposit complete: \\${deposited} was added to your balance`), 30_000);

    term.type("/balance");
    await term.waitFor(new RegExp(`Available: \\${deposited}`));

    term.type("/withdraw ak-47 redline");
    await term.waitFor(/Pick the skin you mean/);
    term.type("1");
    await term.waitFor(/Choose skins to withdraw/);
    term.type("1");
    const listing = await term.waitFor(/1 item selected · Total: (\$[\d,.]+)[\s\S]*?\[(\d+)\] Confirm/);
    term.type(listing[2]!);
    await term.waitFor(/Withdrawal requested/);
    await term.waitFor(/Withdrawal complete/, 30_000);

    term.type("/balance");
    const balance = await term.waitFor(/Available: (\$[\d,.]+)/);
    const cents = (s: string) => Math.round(Number(s.replace(/[$,]/g, "")) * 100);
    expect(cents(balance[1]!)).toBe(cents(deposited!) - cents(listing[1]!));

    term.type("quit");
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(0);
  }, 90_000);
});
