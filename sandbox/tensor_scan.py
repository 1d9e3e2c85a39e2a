"""The hook tracer's one-pass statistics kernel: ``native/tensor_scan.c``, compiled on first use.

torch on the CPU reduces a tensor once per statistic, and each pass reads the whole tensor back
from memory; the kernel reads it once. It is built with the system's C compiler (``$CC``, else
``cc``, ``gcc`` or ``clang``) the first time a worker starts, into the user's cache directory
(``$NN_TUTOR_CACHE`` when set), and loaded with :mod:`ctypes`: there is nothing to build at install
time and no package to add. The file is named by a hash of the source, the flags, the compiler and
the machine, so a changed source is built again and a stale library is never loaded.

Where no compiler works, or ``NN_TUTOR_NO_NATIVE=1`` is set, :func:`kernel` returns ``None`` and
the tracer computes the same statistics with torch ops (:func:`unavailable_reason` says why).
The kernel is checked on known numbers before it is used. This module never imports torch.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path

from sandbox.private_builtins import PRIVATE_BUILTINS

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

SOURCE = Path(__file__).with_name("native") / "tensor_scan.c"
DISABLE_ENV = "NN_TUTOR_NO_NATIVE"
CACHE_ENV = "NN_TUTOR_CACHE"
BUILD_TIMEOUT_S = 20.0
FLAGS = (
    "-O3",
    "-std=gnu99",  # not c99: GNU C lets the compiler fuse d * d + sum into one instruction
    "-fPIC",
    "-shared",
    "-fvisibility=hidden",
    # Vectorised min/max and sum reductions. Not -ffast-math: that would also link code setting
    # the CPU to flush subnormal numbers to zero, for the whole process.
    "-ffinite-math-only",
    "-fno-signed-zeros",
    "-fassociative-math",
    "-fno-trapping-math",
    "-fno-math-errno",
)
RETRY_FLAGS = ("-DNT_NO_CLONES",)
"""Added when the first build fails: a toolchain without function multi-versioning (ifunc); the
second build is also single-threaded."""
TORCH_OPENMP = "libgomp.so.1"
"""The OpenMP runtime torch's Linux wheels ship in ``torch/lib``, under its usual name."""
FIELDS = 6  # shift, sum(x - shift), sum((x - shift)**2), min, max, number of non-zeros


class BuildError(Exception):
    """The kernel could not be built or loaded; the message is one line saying why."""


class ScanKernel:
    """The loaded library: ``kernel(address, n, double)`` scans ``n`` contiguous float32 (or
    float64 with ``double``) numbers at ``address``, returning the :data:`FIELDS` values.

    The caller keeps the memory alive and contiguous for the call. Results are meant for finite
    numbers only: where the sum of squares (the third value) is not finite, the numbers held a
    NaN or an Inf, or squares beyond the type's range, and the other values mean nothing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        library = ctypes.CDLL(str(path))
        self._scans = (library.nt_scan_f32, library.nt_scan_f64)
        for scan in self._scans:
            scan.argtypes = (ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p)
            scan.restype = None
        self._threads = getattr(library, "nt_threads", None)
        if self._threads is not None:
            self._threads.argtypes = ()
            self._threads.restype = ctypes.c_int

    def __call__(self, address: int, n: int, double: bool) -> list[float]:
        out = (ctypes.c_double * FIELDS)()
        self._scans[double](address, n, out)
        return list(out)

    def threads(self) -> int:
        """How many threads scan a large tensor now: torch's thread count where the kernel is
        built against torch's OpenMP runtime (:func:`openmp_flags`), else 1."""
        return int(self._threads()) if self._threads is not None else 1

    def self_check(self) -> None:
        """Raise :class:`BuildError` unless the kernel gives exact answers on known numbers.

        Guards against a compiler that miscompiles with these flags, and against a process whose
        CPU flushes subnormal numbers to zero (the second case must count 1e-40 as non-zero).
        The numbers are few, so no OpenMP threads start: the worker checks the kernel before it
        forks each run, and GNU OpenMP threads started before a fork hang the child's next
        parallel region.
        """
        cases = [
            # the shift is the sample's (lower) median, 0.0
            ([3.0, 0.0, -1.5, 2.5], [0.0, 4.0, 17.5, -1.5, 3.0, 3.0]),
            ([2.0**-133] * 3, [2.0**-133, 0.0, 0.0, 2.0**-133, 2.0**-133, 3.0]),
        ]
        for double, ctype in ((False, ctypes.c_float), (True, ctypes.c_double)):
            for values, want in cases:
                data = (ctype * len(values))(*values)
                got = self(ctypes.addressof(data), len(values), double)
                if got != want:
                    kind = "float64" if double else "float32"
                    raise BuildError(f"{self.path}: wrong {kind} results {got}, wanted {want}")


def cache_dir() -> Path:
    """Where built kernels are kept: ``$NN_TUTOR_CACHE``, else the platform's user cache dir."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("nn-tutor", appauthor=False))


def find_compiler() -> str | None:
    """``$CC`` (first word) when set, else the first of ``cc``, ``gcc``, ``clang`` on PATH."""
    chosen = os.environ.get("CC", "").split()
    for name in chosen[:1] or ["cc", "gcc", "clang"]:
        found = shutil.which(name)
        if found:
            return found
    return None


def torch_lib_dir() -> Path | None:
    """torch's ``lib`` folder, found without importing torch; ``None`` if torch is not installed."""
    spec = importlib.util.find_spec("torch")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) / "lib" if locations else None


def openmp_flags(compiler: str, lib_dir: Path | None = None) -> tuple[str, ...]:
    """Flags that build the kernel against torch's own OpenMP runtime, or ``()`` for one thread.

    With several torch threads a large tensor is scanned in parts, one per thread (on a 2-core
    machine the traced CNN step's stats took half the step's time on one). The threads must be
    torch's: after each op they wait for the next one, spinning, and a thread of the kernel's own
    would fight them for the cores. So only GCC, and only where torch ships GNU OpenMP under its
    usual name (Linux wheels): the library then names the runtime torch loaded, and its run path
    finds torch's copy first even if the library is loaded before torch.
    """
    lib_dir = lib_dir if lib_dir is not None else torch_lib_dir()
    if lib_dir is None or not (lib_dir / TORCH_OPENMP).exists():
        return ()
    if "gcc" not in Path(compiler).resolve().name:
        return ()
    return ("-fopenmp", f"-Wl,-rpath,{lib_dir}")


def library_name(compiler: str, flags: tuple[str, ...] = FLAGS) -> str:
    """The cached library's file name: a hash of everything that decides what gets built."""
    digest = hashlib.sha256(SOURCE.read_bytes())
    for part in (*flags, compiler, platform.machine(), platform.system()):
        digest.update(b"\0" + part.encode())
    return f"tensor_scan-{digest.hexdigest()[:16]}.so"


class KernelBuild:
    """One build of the kernel, started in the background so a worker can import torch meanwhile.

    ``start()`` runs the compiler (or finds the library already built); ``wait()`` returns the
    library's path or raises :class:`BuildError`. The library is written under a temporary name
    and renamed, so workers building at once, or a build killed halfway, never leave a torn file.
    """

    def __init__(self, directory: Path | None = None, compiler: str | None = None) -> None:
        self.compiler = compiler or find_compiler()
        self.flags = (*FLAGS, *openmp_flags(self.compiler)) if self.compiler else FLAGS
        self.directory = directory
        self.target: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._partial: Path | None = None
        self._retried = False

    def start(self) -> KernelBuild:
        if self.compiler is None:
            return self
        name = library_name(self.compiler, self.flags)
        self.target = (self.directory or cache_dir()) / name
        if self.target.exists():
            return self
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            fd, partial = tempfile.mkstemp(
                prefix=f".{name}.", suffix=".part", dir=self.target.parent
            )
        except OSError:  # a read-only cache: build in a private folder instead
            self.target = Path(tempfile.mkdtemp(prefix="nn-tutor-native-")) / name
            fd, partial = tempfile.mkstemp(suffix=".part", dir=self.target.parent)
        os.close(fd)
        self._partial = Path(partial)
        self._spawn(self.flags)
        return self

    def _spawn(self, flags: tuple[str, ...]) -> None:
        assert self.compiler is not None and self._partial is not None
        command = [self.compiler, *flags, "-o", str(self._partial), str(SOURCE)]
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )

    def wait(self) -> Path:
        if self.compiler is None:
            raise BuildError("no C compiler found (set CC, or install cc, gcc or clang)")
        assert self.target is not None
        try:
            while self._process is not None:
                try:
                    output, _ = self._process.communicate(timeout=BUILD_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.communicate()
                    raise BuildError(f"{self.compiler} took over {BUILD_TIMEOUT_S:.0f} s") from None
                failed = self._process.returncode != 0
                self._process = None
                if failed and not self._retried:
                    self._retried = True
                    self._spawn((*FLAGS, *RETRY_FLAGS))
                elif failed:
                    lines = output.decode(errors="replace").strip().splitlines() or ["no output"]
                    raise BuildError(f"{self.compiler} failed on {SOURCE.name}: {lines[0]}")
                else:
                    assert self._partial is not None
                    os.replace(self._partial, self.target)
                    self._partial = None
        finally:
            if self._partial is not None:
                with contextlib.suppress(OSError):
                    os.unlink(self._partial)
        return self.target


_build: KernelBuild | None = None
_kernel: ScanKernel | None = None
_reason: str | None = None
_loaded = False


def start_build() -> None:
    """Begin building the kernel in the background, if it is wanted and not built yet.

    A worker calls this before importing torch; :func:`kernel` then waits for it.
    """
    global _build
    if _build is None and not _loaded and not os.environ.get(DISABLE_ENV):
        with contextlib.suppress(OSError):
            _build = KernelBuild().start()


def kernel() -> ScanKernel | None:
    """The checked kernel, built and loaded on the first call; ``None`` where it is unavailable."""
    global _build, _kernel, _reason, _loaded
    if _loaded:
        return _kernel
    _loaded = True
    if os.environ.get(DISABLE_ENV):
        _reason = f"turned off by {DISABLE_ENV}"
        return None
    try:
        build = _build or KernelBuild().start()
        _build = None
        loaded = ScanKernel(build.wait())
        loaded.self_check()
        _kernel = loaded
    except (BuildError, OSError, AttributeError) as exc:
        _reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return _kernel


def unavailable_reason() -> str | None:
    """Why :func:`kernel` gave ``None`` (one line), or ``None`` if it gave a kernel."""
    kernel()
    return _reason
