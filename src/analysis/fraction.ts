// Exact rationals for coordinate maps. Strides of 3 make 1/3, and whether a crop offset is an integer
// must be decided exactly, so maps are never rounded; they become numbers only for printing.
export class Fraction {
  readonly n: number;
  readonly d: number;

  constructor(numerator: number, denominator = 1) {
    if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || denominator === 0) {
      throw new Error(`internal: bad fraction ${numerator}/${denominator}`);
    }
    const sign = denominator < 0 ? -1 : 1;
    const g = gcd(Math.abs(numerator), Math.abs(denominator)) || 1;
    this.n = (sign * numerator) / g || 0; // never −0
    this.d = (sign * denominator) / g;
  }

  static of(x: number): Fraction {
    return new Fraction(x);
  }

  add(o: Fraction): Fraction {
    return new Fraction(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Fraction): Fraction {
    return new Fraction(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Fraction): Fraction {
    return new Fraction(this.n * o.n, this.d * o.d);
  }
  div(o: Fraction): Fraction {
    return new Fraction(this.n * o.d, this.d * o.n);
  }
  neg(): Fraction {
    return new Fraction(-this.n, this.d);
  }
  equals(o: Fraction): boolean {
    return this.n === o.n && this.d === o.d;
  }
  compare(o: Fraction): number {
    return this.n * o.d - o.n * this.d;
  }
  get isInteger(): boolean {
    return this.d === 1;
  }
  toNumber(): number {
    return this.n / this.d;
  }

  /** `3`, `0.71875` for binary fractions (exact), otherwise `1/3`. */
  toString(): string {
    if (this.d === 1) return String(this.n);
    let d = this.d;
    while (d % 2 === 0) d /= 2;
    while (d % 5 === 0) d /= 5;
    return d === 1 ? String(this.toNumber()) : `${this.n}/${this.d}`;
  }

  /** Scales as fractions (`1/16`), offsets as decimals where exact. */
  toRatio(): string {
    return this.d === 1 ? String(this.n) : `${this.n}/${this.d}`;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export const ZERO = new Fraction(0);
export const ONE = new Fraction(1);
