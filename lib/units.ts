// Values that carry a unit, so a retention in days cannot be passed where minutes are meant and
// a disk size cannot be confused with a count. Construct props take these; environment files,
// being data, use numbers whose field names carry the unit (diskSizeGiB, backupRetentionDays).

/** `amount` in `unit`s when that is a whole number; anything else is refused, not rounded. */
function whole(amount: number, unit: number, described: string, unitName: string): number {
  const value = amount / unit;
  if (!Number.isInteger(value)) throw new RangeError(`${described} is not a whole number of ${unitName}`);
  return value;
}

/** A span of time. */
export class Duration {
  private constructor(private readonly totalSeconds: number) {
    if (!Number.isFinite(totalSeconds) || totalSeconds < 0) throw new RangeError(`Duration: ${totalSeconds} seconds is not a duration`);
  }

  static seconds(amount: number): Duration {
    return new Duration(amount);
  }

  static minutes(amount: number): Duration {
    return new Duration(amount * 60);
  }

  static hours(amount: number): Duration {
    return new Duration(amount * 3600);
  }

  static days(amount: number): Duration {
    return new Duration(amount * 86400);
  }

  toSeconds(): number {
    return this.totalSeconds;
  }

  /** Whole minutes; a duration that is not a whole number of them is refused, not rounded. */
  toMinutes(): number {
    return whole(this.totalSeconds, 60, `Duration: ${this.totalSeconds}s`, "minutes");
  }

  toDays(): number {
    return whole(this.totalSeconds, 86400, `Duration: ${this.totalSeconds}s`, "days");
  }

  toString(): string {
    return `${this.totalSeconds}s`;
  }

}

/** An amount of storage, in binary units. */
export class Size {
  private constructor(private readonly mebibytes: number) {
    if (!Number.isFinite(mebibytes) || mebibytes < 0) throw new RangeError(`Size: ${mebibytes} MiB is not a size`);
  }

  static mebibytes(amount: number): Size {
    return new Size(amount);
  }

  static gibibytes(amount: number): Size {
    return new Size(amount * 1024);
  }

  toMebibytes(): number {
    return this.mebibytes;
  }

  /** Whole GiB; a size that is not a whole number of them is refused, not rounded. */
  toGibibytes(): number {
    return whole(this.mebibytes, 1024, `Size: ${this.mebibytes} MiB`, "GiB");
  }
}

/** An EC2 instance type such as `m6i.2xlarge`. */
export type Ec2InstanceType = `${string}.${string}`;

/** An RDS instance class such as `db.r7g.large`. */
export type DbInstanceClass = `db.${string}.${string}`;

export function isEc2InstanceType(value: unknown): value is Ec2InstanceType {
  return typeof value === "string" && /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value);
}

export function isDbInstanceClass(value: unknown): value is DbInstanceClass {
  return typeof value === "string" && /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(value);
}
