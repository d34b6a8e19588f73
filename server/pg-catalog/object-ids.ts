// Stable OIDs for Eddy's relations while the server runs: clients keep OIDs
// between queries (psql's \d asks by OID after looking the name up).

/** The first OID PostgreSQL gives to user objects. */
const FIRST_USER_OID = 16384;

export class ObjectIds {
  private readonly byName = new Map<string, number>();
  private readonly byOid = new Map<number, string>();
  private next = FIRST_USER_OID;

  /** The OID of a relation or other named object (`kind:name`), assigned on first use. */
  oid(kind: string, name: string): number {
    const key = `${kind}:${name}`;
    let oid = this.byName.get(key);
    if (oid === undefined) {
      oid = this.next++;
      this.byName.set(key, oid);
      this.byOid.set(oid, key);
    }
    return oid;
  }

  /** The kind and name an OID was given for. */
  nameOf(oid: number): { kind: string; name: string } | undefined {
    const key = this.byOid.get(oid);
    if (key === undefined) return undefined;
    const colon = key.indexOf(':');
    return { kind: key.slice(0, colon), name: key.slice(colon + 1) };
  }
}
