import { describe, expect, it } from "vitest";
import { ONE, ZERO, fromFloat, int, ratio, rational } from "../../server/pattern/rational.ts";

describe("Rational", () => {
  it("normalises by the gcd and keeps the sign on the numerator", () => {
    const r = ratio(6, -8);
    expect([r.n, r.d]).toEqual([-3, 4]);
    expect(ratio(0, 5)).toBe(ZERO);
    expect(() => ratio(1, 0)).toThrow(/zero denominator/);
  });
  it("does exact arithmetic", () => {
    const third = ratio(1, 3);
    expect(third.add(third).add(third).eq(ONE)).toBe(true);
    expect(ratio(1, 6).sub(ratio(1, 3)).toString()).toBe("-1/6");
    expect(ratio(2, 3).mul(ratio(3, 4)).toString()).toBe("1/2");
    expect(ratio(1, 2).div(ratio(1, 4)).toString()).toBe("2");
    expect(() => ONE.div(ZERO)).toThrow(/division/);
  });
  it("compares, floors and finds cycle positions", () => {
    expect(ratio(1, 3).lt(ratio(1, 2))).toBe(true);
    expect(ratio(-1, 3).floor().toString()).toBe("-1");
    expect(ratio(7, 3).sam().toString()).toBe("2");
    expect(ratio(7, 3).nextSam().toString()).toBe("3");
    expect(ratio(7, 3).cyclePos().toString()).toBe("1/3");
    expect(ratio(-1, 3).cyclePos().toString()).toBe("2/3");
    expect(ratio(5, 2).ceil().toString()).toBe("3");
    expect(ratio(1, 2).min(ratio(1, 3)).toString()).toBe("1/3");
  });
  it("reads floats as the simplest close fraction", () => {
    expect(fromFloat(1 / 3).toString()).toBe("1/3");
    expect(fromFloat(0.1).toString()).toBe("1/10");
    expect(fromFloat(2 / 3).toString()).toBe("2/3");
    expect(fromFloat(-0.375).toString()).toBe("-3/8");
    expect(fromFloat(1.5).toString()).toBe("3/2");
    expect(rational("3/4").toString()).toBe("3/4");
    expect(rational("0.25").toString()).toBe("1/4");
    expect(() => rational("x")).toThrow(/cannot read/);
    expect(() => fromFloat(Number.NaN)).toThrow(/finite/);
  });
  it("shares small integers and survives overflow by rounding", () => {
    expect(int(3)).toBe(int(3));
    const big = ratio(1, 2 ** 40).add(ratio(1, 2 ** 40 - 1));
    expect(Number.isSafeInteger(big.n) && Number.isSafeInteger(big.d)).toBe(true);
    // Rounded to a denominator below 2^26: within 1e-7 of a cycle, far below a sample.
    expect(Math.abs(big.valueOf() - (2 ** -40 + 1 / (2 ** 40 - 1)))).toBeLessThan(1e-7);
  });
});
