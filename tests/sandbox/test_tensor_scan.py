"""The one-pass statistics kernel: its numbers against float64 torch, its build, its cache and
what happens where it cannot be built (the tracer's stats are checked on every path in
test_tracer_stats.py)."""

from __future__ import annotations

import ctypes
import math
import os
import platform
import re
import stat
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_helpers import KERNEL_MAPPED
from torch import nn

from sandbox import Sandbox, tensor_scan
from sandbox.tensor_scan import BuildError, KernelBuild, ScanKernel, find_compiler
from sandbox.tracer import HookTracer

COMPILER = find_compiler()
EPS64 = torch.finfo(torch.float64).eps
needs_compiler = pytest.mark.skipif(COMPILER is None, reason="needs a C compiler")


@pytest.fixture(scope="module")
def kernel() -> ScanKernel:
    found = tensor_scan.kernel()
    if found is None:
        pytest.skip(f"no kernel: {tensor_scan.unavailable_reason()}")
    return found


def scan(kernel: ScanKernel, x: torch.Tensor) -> list[float]:
    return kernel(x.data_ptr(), x.numel(), x.dtype == torch.float64)


@needs_compiler
def test_the_kernel_is_built_and_used_where_a_compiler_exists() -> None:
    # Falling back to torch ops would pass every stats test, just slower: this one says so.
    assert tensor_scan.kernel() is not None, tensor_scan.unavailable_reason()
    assert tensor_scan.unavailable_reason() is None


@st.composite
def arrays(draw: st.DrawFn) -> torch.Tensor:
    """Finite float32/float64 arrays across block boundaries, with zeros of both signs,
    subnormals and a spread far smaller than the mean."""
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    n = draw(st.sampled_from([1, 2, 7, 63, 64, 65, 1023, 1024, 1025, 3000]))
    seed = draw(st.integers(0, 2**32 - 1))
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, generator=g, dtype=torch.float64)
    x = x * draw(st.sampled_from([1e-12, 1e-3, 1.0, 1e6])) + draw(st.sampled_from([0.0, 1e4]))
    if draw(st.booleans()):
        x = x.relu()
    special = draw(st.lists(st.sampled_from([0.0, -0.0, 1e-40, -1e-42]), max_size=5))
    for i, v in enumerate(special):
        x[(i * 7919) % n] = v
    # one huge value where the shift is sampled (an "attention sink" at token 0)
    x[0] += draw(st.sampled_from([0.0, 0.0, 1e3, 1e7])) * float(x.abs().max() + 1)
    return x.to(dtype)


@settings(max_examples=150, deadline=None)
@given(arrays())
def test_scan_agrees_with_float64_torch(kernel: ScanKernel, x: torch.Tensor) -> None:
    assert_agrees(kernel, x)


def assert_agrees(kernel: ScanKernel, x: torch.Tensor) -> None:
    shift, shifted_sum, squares, lo, hi, nonzero = scan(kernel, x)
    ref = x.double()
    n = x.numel()
    centred = ref - ref.mean()
    spread = float(centred.abs().sum()) + float(ref.abs().max()) * 1e-3  # scale of the sums' error
    assert shift * n + shifted_sum == pytest.approx(float(ref.sum()), abs=spread * 1e-5 + 1e-300)
    # sum((x - shift)**2) = sum((x - mean)**2) + n * (mean - shift)**2
    want = float((centred**2).sum()) + n * (float(ref.mean()) - shift) ** 2
    # squares below the type's normal range underflow, as in torch's own float32 reductions; and
    # the float64 reference rounds each centred number by up to an ulp of the largest one
    floor = n * (torch.finfo(x.dtype).tiny + (4 * EPS64 * float(ref.abs().max())) ** 2)
    assert squares == pytest.approx(want, rel=1e-4, abs=floor)
    assert (lo, hi) == (float(x.min()), float(x.max()))
    assert nonzero == int((x != 0).sum())


def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    found = re.search(r"^flags\s*:(.*)$", text, re.M)
    return set(found.group(1).split()) if found else set()


# The library holds a copy per x86-64 level and the loader picks one for this CPU: only that one
# runs in the other tests. Each is built alone here and run where the CPU has what it needs.
LEVELS = {"x86-64": set(), "x86-64-v3": {"avx2", "fma"}, "x86-64-v4": {"avx512f", "avx512bw"}}


@needs_compiler
@pytest.mark.skipif(platform.machine() != "x86_64", reason="x86-64 levels")
@pytest.mark.parametrize("level", list(LEVELS))
def test_every_copy_for_an_x86_64_level_agrees(tmp_path: Path, level: str) -> None:
    if not LEVELS[level] <= cpu_flags():
        pytest.skip(f"this CPU cannot run {level}")
    library = tmp_path / f"{level}.so"
    command = [COMPILER, *tensor_scan.FLAGS, "-DNT_NO_CLONES", f"-march={level}"]
    subprocess.run([*command, "-o", str(library), str(tensor_scan.SOURCE)], check=True)
    built = ScanKernel(library)
    built.self_check()
    g = torch.Generator().manual_seed(3)
    for n in (1, 15, 16, 17, 1023, 1025, 5000):
        for dtype in (torch.float32, torch.float64):
            x = (torch.randn(n, generator=g, dtype=torch.float64) * 3 + 1).to(dtype)
            x[n // 2] = 0.0
            assert_agrees(built, x)
            assert_agrees(built, x.relu())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_numbers_the_shift_sample_misses_are_read_again(kernel: ScanKernel, dtype) -> None:
    # every sampled element (each n // 64-th) is huge: the median of the sample is too, far from
    # the mean; the kernel sees the shift was over a standard deviation off and reads again
    n = 64 * 4096
    x = 1 + 0.1 * torch.randn(n, dtype=dtype, generator=torch.Generator().manual_seed(2))
    x[:: n // 64] = 1e6
    assert_agrees(kernel, x)


def test_the_sum_of_squares_is_not_finite_when_a_number_is_not() -> None:
    found = tensor_scan.kernel()
    if found is None:
        pytest.skip("no kernel")
    for dtype in (torch.float32, torch.float64):
        for bad in (math.nan, math.inf, -math.inf):
            for where in (0, 1500, 2999):  # in a block, in the last one, in the tail
                x = torch.randn(3000, dtype=dtype)
                x[where] = bad
                assert not math.isfinite(scan(found, x)[2]), (dtype, bad, where)
    overflow = torch.tensor([3e38, -3e38, 1.0])  # every value finite, the squares are not
    assert not math.isfinite(scan(found, overflow)[2])


# -- threads ---------------------------------------------------------------------------------------
THREADED = COMPILER is not None and bool(tensor_scan.openmp_flags(COMPILER))
needs_threads = pytest.mark.skipif(
    not THREADED, reason="the kernel is single-threaded here (no GCC, or torch has no libgomp)"
)


@pytest.fixture
def torch_threads() -> Iterator[Callable[[int], None]]:
    before = torch.get_num_threads()
    yield torch.set_num_threads
    torch.set_num_threads(before)


@needs_threads
def test_the_kernel_scans_with_torchs_threads(kernel: ScanKernel, torch_threads) -> None:
    for threads in (1, 2, 3):
        torch_threads(threads)
        assert kernel.threads() == threads


def in_a_new_thread(work: Callable[[], int]) -> int:
    """What ``work`` returns, run in a thread of its own (OpenMP settings are per thread)."""
    out: list[int] = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join()
    return out[0]


@needs_threads
def test_a_threads_first_scan_takes_torchs_thread_count(kernel: ScanKernel, torch_threads) -> None:
    """torch gives a thread its OpenMP thread count with its first parallel op, and a learner's
    thread whose first module passes its input on untouched (a Flatten, an Identity, a module
    returning its parameter) has run none: its scan must still use torch's count (the sandbox's
    limit), not OpenMP's default of every core."""
    default = in_a_new_thread(kernel.threads)  # what a thread that torch has not set up gets
    torch_threads(default + 1)
    big = torch.ones(4 * 65536)

    def traced_call() -> int:
        with HookTracer() as tracer:
            nn.Identity()(big)  # no torch op in this thread before the scan
        tracer.finish()
        return kernel.threads()

    assert in_a_new_thread(traced_call) == default + 1


@needs_threads
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/self/maps")
def test_the_kernel_uses_the_openmp_runtime_torch_loaded(kernel: ScanKernel) -> None:
    # a second runtime would bring its own threads, fighting torch's for the cores
    maps = Path("/proc/self/maps").read_text().splitlines()
    runtimes = {line.split()[-1] for line in maps if re.search(r"/libgomp[^/]*\.so", line)}
    assert runtimes == {str(tensor_scan.torch_lib_dir() / tensor_scan.TORCH_OPENMP)}


@pytest.mark.parametrize("n", [65535, 65536, 65537, 98304 + 5, 2**20 + 3])
def test_a_scan_split_over_threads_agrees_with_one_thread(kernel, torch_threads, n) -> None:
    g = torch.Generator().manual_seed(n)
    for dtype in (torch.float32, torch.float64):
        x = (torch.randn(n, generator=g, dtype=torch.float64) * 2 + 0.5).relu().to(dtype)
        x[n - 1] = -7.0  # the extremes in the last part
        x[n // 2] = 9.0
        results = []
        for threads in (1, 2, 3):
            torch_threads(threads)
            assert_agrees(kernel, x)
            results.append(scan(kernel, x))
        one = results[0]
        for other in results[1:]:
            assert other[0] == one[0] and other[3:] == one[3:]  # shift, min, max, non-zeros
            assert other[1:3] == pytest.approx(one[1:3], rel=1e-6, abs=1e-6)


@needs_threads
def test_forked_runs_scan_with_two_threads() -> None:
    # The worker forks every run from a process that loaded the kernel: a run must find an
    # OpenMP runtime that can start threads (one started before the fork would hang the child),
    # and a second run must too.
    code = (
        "import torch\n"
        "from sandbox import tensor_scan\n"
        "from sandbox.tracer import host_stats\n"
        "x = torch.arange(300_000, dtype=torch.float32) % 7\n"
        "mean, std, lo, hi = host_stats(x)[:4]\n"
        "(tensor_scan.kernel().threads(), torch.get_num_threads(), round(mean, 4), lo, hi)"
    )
    want = f"(2, 2, {round(float((torch.arange(300_000) % 7).double().mean()), 4)}, 0.0, 6.0)"
    with Sandbox(timeout_s=60, threads=2) as box:
        for _ in range(2):
            r = box.run(code)
            assert (r.status, r.value) == ("ok", want), r.error


@needs_compiler
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc/self/maps")
def test_a_run_in_the_warm_worker_has_the_kernel_loaded(sb) -> None:
    # a forked run inherits it: loaded once at warm-up, not built or opened per run
    r = sb.run(KERNEL_MAPPED)
    assert (r.status, r.value) == ("ok", "True"), r.error


# -- building --------------------------------------------------------------------------------------
@needs_compiler
def test_a_build_is_cached_and_reused_without_a_compiler(tmp_path: Path) -> None:
    first = KernelBuild(tmp_path, COMPILER).start().wait()
    assert first.parent == tmp_path and first.name.startswith("tensor_scan-")
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no partial file left behind
    ScanKernel(first).self_check()
    built_at = first.stat().st_mtime_ns
    # Same compiler path (the name's hash), but the program is not run: the file is reused.
    again = KernelBuild(tmp_path, COMPILER)
    again._spawn = None  # type: ignore[assignment]  # fails loudly if a build is attempted
    assert again.start().wait() == first
    assert first.stat().st_mtime_ns == built_at


@needs_compiler
def test_the_name_changes_with_the_source(tmp_path: Path, monkeypatch) -> None:
    before = tensor_scan.library_name(COMPILER)
    changed = tmp_path / "tensor_scan.c"
    changed.write_text(tensor_scan.SOURCE.read_text() + "\n/* changed */\n")
    monkeypatch.setattr(tensor_scan, "SOURCE", changed)
    assert tensor_scan.library_name(COMPILER) != before


def fake_compiler(tmp_path: Path, body: str, name: str = "fake-cc") -> str:
    script = tmp_path / name
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_a_failing_compiler_is_one_line_naming_it(tmp_path: Path) -> None:
    cc = fake_compiler(tmp_path, 'echo "error: no such thing" >&2; echo more >&2; exit 1')
    cache = tmp_path / "cache"
    with pytest.raises(BuildError) as caught:
        KernelBuild(cache, cc).start().wait()
    assert str(caught.value) == f"{cc} failed on tensor_scan.c: error: no such thing"
    assert list(cache.iterdir()) == []  # the partial file is removed


@needs_compiler
def test_a_toolchain_without_multiversioning_gets_a_second_build(tmp_path: Path) -> None:
    # Refuses the first command, as a compiler without target_clones support would.
    cc = fake_compiler(
        tmp_path,
        f'case "$*" in *-DNT_NO_CLONES*) exec {COMPILER} "$@";; *) echo "unsupported" >&2;'
        " exit 1;; esac",
    )
    built = KernelBuild(tmp_path / "cache", cc).start().wait()
    ScanKernel(built).self_check()


@needs_compiler
def test_a_read_only_cache_builds_in_a_private_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root writes anywhere: a file where the folder should be stands in for "read-only"
        blocked = tmp_path / "file"
        blocked.write_text("")
        cache = blocked / "cache"
    else:
        cache = tmp_path / "ro"
        cache.mkdir()
        cache.chmod(0o500)
    built = KernelBuild(cache, COMPILER).start().wait()
    assert built.parent != cache and built.exists()
    ScanKernel(built).self_check()


def test_openmp_only_with_gcc_and_torchs_own_runtime(tmp_path: Path) -> None:
    lib = tmp_path / "torch" / "lib"
    lib.mkdir(parents=True)
    gcc, clang = tmp_path / "x86_64-linux-gnu-gcc-12", tmp_path / "clang"
    for compiler in (gcc, clang):
        compiler.write_text("")
    cc = tmp_path / "cc"
    cc.symlink_to(gcc)  # Debian's cc: a link to gcc
    assert tensor_scan.openmp_flags(str(gcc), lib) == ()  # torch without libgomp
    (lib / "libgomp-a34b3233.so.1").write_text("")  # a renamed copy: not the usual soname
    assert tensor_scan.openmp_flags(str(gcc), lib) == ()
    (lib / "libgomp.so.1").write_text("")
    want = ("-fopenmp", f"-Wl,-rpath,{lib}")
    assert tensor_scan.openmp_flags(str(gcc), lib) == want
    assert tensor_scan.openmp_flags(str(cc), lib) == want
    assert tensor_scan.openmp_flags(str(clang), lib) == ()  # it would link its own libomp


@needs_threads
def test_the_second_build_is_single_threaded(tmp_path: Path) -> None:
    # Refuses the first (threaded) command; the second build drops OpenMP with the clones.
    log = tmp_path / "commands"
    cc = fake_compiler(
        tmp_path,
        f'echo "$*" >> {log}; case "$*" in *-DNT_NO_CLONES*) exec {COMPILER} "$@";;'
        ' *) echo "unsupported" >&2; exit 1;; esac',
        name="fake-gcc",
    )
    built = ScanKernel(KernelBuild(tmp_path / "cache", cc).start().wait())
    first, second = (line.split() for line in log.read_text().splitlines())
    assert "-fopenmp" in first and "-fopenmp" not in second
    assert built.threads() == 1


def test_no_compiler_gives_a_reason() -> None:
    build = KernelBuild(None, None)
    build.compiler = None  # what find_compiler() gives on a machine without one
    with pytest.raises(BuildError, match="no C compiler found"):
        build.start().wait()


@needs_compiler
def test_a_wrong_kernel_fails_its_check(tmp_path: Path) -> None:
    source = tmp_path / "wrong.c"
    source.write_text(
        "#include <stdint.h>\n"
        "void nt_scan_f32(const float *x, int64_t n, double *out) {"
        " for (int i = 0; i < 6; i++) out[i] = 0; }\n"
        "void nt_scan_f64(const double *x, int64_t n, double *out) {"
        " for (int i = 0; i < 6; i++) out[i] = 0; }\n"
    )
    library = tmp_path / "wrong.so"
    assert os.system(f"{COMPILER} -shared -fPIC -o {library} {source}") == 0
    with pytest.raises(BuildError, match="wrong float32 results"):
        ScanKernel(library).self_check()


def test_turned_off_by_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(tensor_scan.DISABLE_ENV, "1")
    for name in ("_loaded", "_kernel", "_reason", "_build"):
        monkeypatch.setattr(tensor_scan, name, getattr(tensor_scan, name))
    monkeypatch.setattr(tensor_scan, "_loaded", False)
    tensor_scan.start_build()
    assert tensor_scan._build is None  # nothing started either
    assert tensor_scan.kernel() is None
    assert tensor_scan.unavailable_reason() == "turned off by NN_TUTOR_NO_NATIVE"


def test_the_self_check_data_is_what_it_claims() -> None:
    # 2**-133 is a float32 subnormal: a CPU flushing subnormals to zero would count no non-zeros
    tiny = ctypes.c_float(2.0**-133).value
    assert tiny == 2.0**-133 and 0 < tiny < torch.finfo(torch.float32).tiny
