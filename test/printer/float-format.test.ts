// Float spelling, value by value. The fixtures pin these against protoc and Python wholesale; this file
// says the rules out loud, including the cases that tell the rules apart.
import { describe, expect, it } from 'vitest';
import { exactDecimal, formatG, roundDecimal } from '../../src/printer/decimal.js';
import { formatDoubleCpp, formatFloatCpp, shortestFloatPython } from '../../src/printer/float-format.js';

const f = Math.fround;

describe('formatG (printf %g)', () => {
  it('switches to exponent form below 1e-4 and at 10^precision', () => {
    expect(formatG(0.0001, 6)).toBe('0.0001');
    expect(formatG(0.00001, 6)).toBe('1e-05');
    expect(formatG(100000, 6)).toBe('100000');
    expect(formatG(1000000, 6)).toBe('1e+06');
    expect(formatG(1e20, 6)).toBe('1e+20');
    expect(formatG(-0, 6)).toBe('-0');
  });

  it('rounds exact ties to even, as glibc does (toPrecision would round up)', () => {
    expect(formatG(1234567.25, 8)).toBe('1234567.2');
    expect(formatG(1234567.75, 8)).toBe('1234567.8');
    expect(formatG(0.125, 2)).toBe('0.12');
    expect((0.125).toPrecision(2)).toBe('0.13');
  });

  it('carries into a new digit', () => {
    expect(roundDecimal(exactDecimal(9.9999999), 6)).toEqual({ digits: '1', exp: 1 });
    expect(formatG(999999.5, 6)).toBe('1e+06');
  });
});

describe('C++ TextFormat (SimpleFtoa: %.6g if it reads back as the same float, else %.9g)', () => {
  it('prints the short form when six digits suffice', () => {
    expect(formatFloatCpp(f(0.1))).toBe('0.1');
    expect(formatFloatCpp(f(1e-4))).toBe('0.0001');
    expect(formatFloatCpp(f(1e20))).toBe('1e+20');
    expect(formatFloatCpp(f(0.0025))).toBe('0.0025');
  });

  it('jumps to nine digits, not to the shortest round trip', () => {
    expect(formatFloatCpp(f(1.2345678))).toBe('1.23456776');
    expect(formatFloatCpp(f(3.4028235e38))).toBe('3.40282347e+38');
    expect(formatFloatCpp(f(0.333333333))).toBe('0.333333343');
  });

  it('treats subnormal results as failures, as strtof sets ERANGE for them', () => {
    expect(formatFloatCpp(f(1e-45))).toBe('1.40129846e-45');
  });

  it('spells the non-finite values inf, -inf and nan', () => {
    expect([Infinity, -Infinity, NaN].map(formatFloatCpp)).toEqual(['inf', '-inf', 'nan']);
    expect([Infinity, -Infinity, NaN].map(formatDoubleCpp)).toEqual(['inf', '-inf', 'nan']);
  });

  it('prints doubles with %.15g, else %.17g', () => {
    expect(formatDoubleCpp(0.1)).toBe('0.1');
    expect(formatDoubleCpp(0.30000000000000004)).toBe('0.30000000000000004');
    expect(formatDoubleCpp(5e-324)).toBe('4.94065645841247e-324');
  });
});

describe('Python json_format (ToShortestFloat: least precision ≥ 6 that reads back as the float)', () => {
  it('gives the shortest decimal, as a double', () => {
    expect(shortestFloatPython(f(0.1))).toBe(0.1);
    expect(shortestFloatPython(f(1.2345678))).toBe(1.2345678);
    expect(shortestFloatPython(f(3.4028235e38))).toBe(3.4028235e38);
    expect(shortestFloatPython(f(1e-45))).toBe(1.4013e-45);
    expect(shortestFloatPython(f(-0))).toBe(-0);
  });

  it("rounds ties to even, like Python's format()", () => {
    expect(shortestFloatPython(f(1234567.25))).toBe(1234567.2);
  });
});
