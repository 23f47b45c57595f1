import { describe, expect, it } from "vitest";
import { MiniSyntaxError, tokenize } from "../../../server/pattern/index.ts";

const kinds = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.text}@${t.start}`);

describe("tokenize", () => {
  it("words, numbers and punctuation with positions", () => {
    expect(kinds("bd*2 [~ c#3]")).toEqual(["word:bd@0", "*:*@2", "number:2@3", "[:[@5", "~:~@6", "word:c#3@8", "]:]@11", "end:@12"]);
  });
  it("tells rests, elongation and ranges from names and numbers", () => {
    expect(kinds("- -1 _ gm_piano 0..3 0.5")).toEqual([
      "-:-@0",
      "number:-1@2",
      "_:_@5",
      "word:gm_piano@7",
      "number:0@16",
      "..:..@17",
      "number:3@19",
      "number:0.5@21",
      "end:@24",
    ]);
  });
  it("records whitespace before tokens (a!3 vs a !)", () => {
    expect(tokenize("a!3 !").map((t) => t.spaceBefore)).toEqual([true, false, false, true, true]);
  });
  it("rejects characters outside the grammar with their position", () => {
    expect(() => tokenize("a ; b")).toThrow(MiniSyntaxError);
    try {
      tokenize("a ; b");
    } catch (e) {
      expect((e as MiniSyntaxError).position).toBe(2);
    }
  });
});
