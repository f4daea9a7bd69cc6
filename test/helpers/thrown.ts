/** The error of class `cls` that `f` throws; fails the test when it throws nothing or another error. */
export function thrown<E extends Error>(cls: new (...args: never[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`expected a ${cls.name}, nothing was thrown`);
}
