"""Turns what a run reported (if anything) plus why the worker stopped it into a result dict.

Every message the sandbox words itself is English, and also comes as a ``code`` with ``params``
(the numbers and names the message uses), so that a UI can say it in the learner's language:

==================  ==========================================================================
code                params
==================  ==========================================================================
timeout             seconds, line (``None`` when the run was not stopped in the learner's code)
thread_timeout      seconds, thread (its name), line (``None`` where the thread was in none of
                    the learner's code): the code had finished, and a thread it left running
                    had not when time ran out (status "timeout")
not_begun           seconds (the run's code had not begun by its timeout plus
                    ``Limits.start_allowance_s``: status "timeout")
cancelled           (none)
output_limit        kb, line (``None`` when the run was not stopped in the learner's code)
thread_output_limit kb, thread, line (as thread_timeout's): the code had finished, and the run
                    was stopped for its output while a thread it left running ran on
memory_limit        mb (the run went over the CPU worker's cap)
out_of_memory       mb, detail (the allocator's own words, may be empty)
out_of_memory_gpu   detail
crashed             (none)
crashed_signal      signal (its description, "Segmentation fault (SIGSEGV)"), name ("SIGSEGV")
killed              signal, name (SIGKILL while the system killed for want of memory)
exited              exit_code
sys_exit            arg (the repr of what ``sys.exit`` was given, not ``None``)
exit_called         (none: ``exit()``, ``quit()`` or ``sys.exit()``, which raise SystemExit(None))
too_nested          (none)
==================  ==========================================================================

The client words a few itself (:mod:`sandbox.session`), for runs no worker finished:

==================  ==========================================================================
worker_died         reason (the worker failed with an error of its own)
worker_killed       signal, name (SIGKILL stopped the worker while the system killed for want
                    of memory; a SIGKILL without that evidence is a worker_signal)
worker_signal       signal, name (another signal stopped the worker)
worker_exited       exit_code (the worker exited mid-run)
worker_unreachable  (none: the worker's request pipe was closed)
timeout_restarted   seconds (the worker did not answer in time and was replaced)
worker_failed       device ("cpu" or "cuda"), reason (its own error, a signal's name)
start_exited        device, exit_code (the worker exited before it was ready)
start_timeout       device, seconds (the worker was not ready in time)
no_cuda             (none)
unknown_device      device (the repr of what was asked for)
==================  ==========================================================================

An exception of the learner's own keeps Python's message and has no code; advice the sandbox
adds to one (:data:`HINTS`) ends its message as ``" (hint)"`` and comes as ``hint`` and
``hint_code`` too. This module does not import torch: the UI process may use it.
"""

from __future__ import annotations

import signal
from dataclasses import asdict
from typing import Any

from sandbox.limits import Limits, signal_description, signal_name
from sandbox.private_builtins import PRIVATE_BUILTINS
from sandbox.result import RunError, message_before_hint, message_with_hint

__builtins__ = PRIVATE_BUILTINS  # before any def: see sandbox.private_builtins

CLIP_NOTE = "... [{count} more characters]"
"""How the sandbox ends text it cut (a value, a message, a traceback line): ``count`` is how many
characters it left out. A UI may word it in the learner's language (``tutor.sandbox_messages``)."""

NOT_CHECKED = {
    "en": "your code did not run to the end, so it could not be checked",
    "zh": "你的代码没有运行到最后，所以无法检查",
}
CHECK_TIMED_OUT = {
    "en": "the run took longer than it may (your code, as the check called it) and was stopped, "
    "so the check could not tell whether your code is right",
    "zh": "这次运行超出了时间上限（是检查调用你的代码时），已被停止，所以检查无法判断你的代码是否正确",
}
"""The check outcome of a run whose learner's code finished and whose check ran out of time:
most often the learner's function, called by the check, looping (a check's own work is small),
so it is not blamed on the check."""
CHECK_FLOODED = {
    "en": "the run printed more than it may (your code, or your code as the check called it) "
    "and was stopped, so the check could not tell whether your code is right",
    "zh": "这次运行打印的内容超出了上限（可能是你的代码，也可能是检查调用你的代码时），已被停止，"
    "所以检查无法判断你的代码是否正确",
}
"""The check outcome of a run stopped for its output: its words cannot say whether the learner's
code or the check (calling the learner's function) printed it (the error's line, where it has
one, says where it was stopped)."""
CHECK_PASSED_THREAD_RUNNING = {
    "en": "the check passed, but a thread your code started was still running when the run was "
    "stopped, so it does not count as passed",
    "zh": "检查通过了，但运行被停止时，你的代码启动的线程仍在运行，所以不算通过",
}
"""The check outcome of a run stopped (out of time, or for its output) while it waited for a
thread its code left running, after the code and its check had finished, where the check passed:
the run did not end, and a run that did not end is no pass (see :func:`finalize`)."""
MAX_THREAD_NAME_CHARS = 1_000
"""A thread's name longer than this is cut where a message names it (see :func:`thread_name`)."""

ERROR_CODES: tuple[str, ...] = (
    "timeout",
    "thread_timeout",
    "not_begun",
    "cancelled",
    "output_limit",
    "thread_output_limit",
    "memory_limit",
    "out_of_memory",
    "out_of_memory_gpu",
    "crashed",
    "crashed_signal",
    "killed",
    "exited",
    "unreported",
    "sys_exit",
    "exit_called",
    "too_nested",
    "worker_died",
    "worker_killed",
    "worker_signal",
    "worker_exited",
    "worker_unreachable",
    "timeout_restarted",
    "worker_failed",
    "start_exited",
    "start_timeout",
    "no_cuda",
    "unknown_device",
)
"""Every ``code`` an error the sandbox words itself may carry (see the table above)."""

WARNING_KINDS: tuple[str, ...] = (
    "nan",  # the first event with a NaN: a forward's output its module made
    "inf",  # the first event with an Inf: likewise
    "nan_input",  # the first NaN forward event's module had a NaN in its input already
    "inf_input",  # likewise for an Inf
    "nan_grad",  # the first NaN event is a backward's: the gradient at that module's output
    "inf_grad",  # likewise for an Inf
    "dead_relu",  # zero_frac: a ReLU's forward output mostly zero
    "exploding_grad",  # norm
    "vanishing_grad",  # norm: a small gradient, or 0 where one shrinking with depth underflowed
    "dead_relu_grad",  # (none): a zero gradient at a module's output, a dead ReLU after it
    "no_gradient",  # (none): a zero gradient at a module's output, no dead ReLU known after it
    "forward_error",  # input_shapes, error: the module whose forward raised
    "truncated",  # max_events: the trace hit its cap
    "trace_failed",  # error: the tracer itself failed (the device broke mid-run, say)
    "no_modules",  # (none): the run called no nn.Module, so the trace is empty
    "stopped_before_modules",  # (none): the run failed before it called an nn.Module
    "no_stats",  # numel: an event's tensor too large to reduce in the memory left
)
"""Every ``kind`` of trace warning (:class:`sandbox.tracer.HookTracer`), each with ``params``:
the module's ``type``, ``layer`` and ``shown_name`` (where there is a module: whether its name
starts with a container's index, and the name as shown, see :func:`sandbox.tracer.shown_name`)
and the fields named beside it."""

CHECK_CODES: tuple[str, ...] = (
    "raised_in_code",  # error ("Type: message"), line: the learner's code raised, called by it;
    # hint_code where the sandbox has advice for it (see HINTS), hint_params where its words
    # have any
    "missing_name",  # error, name: the check used a name the learner's code did not define
    "module_not_initialized",  # error, name: the learner's nn.Module subclass (the class's
    # name) never ran nn.Module.__init__ (no super().__init__()), found as the check used it
    "missing_attribute",  # error, name, type: the check read an attribute the learner's object
    # (of a class their code defined, named by type) does not have
    "returned_none",  # error: the check crashed using a None it got from the learner's code
    "check_crashed",  # error: the check crashed on what it got from the learner's code
)
"""Every ``code`` of a failed check (``CheckOutcome.code``) that did not fail by its assertion,
with its ``params``; its ``message`` stays the English it always was (Python's error)."""

HINTS: dict[str, str] = {
    "no_stdin": "a snippet has no keyboard to read from: put the value in the code instead",
    "no_debugger": "a snippet has no keyboard for a debugger: print the values you want to see",
    # short: torch's words before it name what was assigned or looked up, and a class's
    # traceback is long; cls is the class whose __init__ used the module too soon, else its own
    "no_module_init": "call `super().__init__()` first in `{cls}.__init__`",
    "no_cuda_here": "this machine has no CUDA GPU: write `.to(device)` instead of `.cuda()` or "
    '`.to("cuda")`; `device` is the sandbox\'s own, the CPU here',
    "mixed_tabs": "this code mixes tabs and spaces in its indentation: line {tab_line} has a tab",
    "dataloader_worker": "a worker process of the DataLoader stopped (its own error is in the "
    'output above): a worker started with "spawn" cannot find a class this code defines; '
    "use num_workers=0 here",
    "dataloader_main": "a worker process of the DataLoader stopped (its own error is in the "
    'output above): a worker started with "spawn" runs this file again, so the code that '
    'starts the DataLoader goes under `if __name__ == "__main__":`',
    "fresh_run": "each run starts fresh: names from an earlier run or another lesson step are "
    "not kept, so define `{name}` in this code",
    # a NameError's fix, by what the name is (sandbox.runner._missing_name_hint)
    "qualified_name": "`{name}` is in {module}: did you mean `{qualified}`?",
    "import_module": "`{name}` is a module: add `import {name}` at the top of this code",
    "import_name": "`{name}` must be imported: add `{line}` at the top of this code",
    # torch's common errors, by their message (sandbox.torch_error_hints)
    "matmul_shapes": "the left tensor's last dimension ({width}) must equal the right one's "
    "first ({inner}): an nn.Linear(in_features, out_features) needs an input whose last "
    "dimension is in_features, here {inner}",
    "conv_channels": "a conv layer reads the channels at dimension 1 of its input, (batch, "
    "channels, …): this layer's in_channels is {expected}, the input has {got} there; check "
    "in_channels, or move the channels there with `.permute`",
    "dtype_mismatch": "the tensors here must share one dtype, but Float (float32) and {other} "
    "are mixed: make them the same, e.g. a model's input with `x = x.to(model.weight.dtype)`, "
    "or `.float()` on the {other} one (a tensor made from a NumPy array is usually Double, one "
    "from whole numbers Long)",
    "loss_batch": "the loss got {inputs} rows of predictions and {targets} targets: the input's "
    "first dimension (the batch) and the target's must match, one target per row",
    "target_dtype": "a target of class indices must be Long (int64), not {got}: use `.long()` "
    "on the target",
    "backward_no_grad": "backward() needs a result computed from tensors with "
    "requires_grad=True, such as a model's parameters: check it was not computed under "
    "`torch.no_grad()`, nor through `.detach()`, `.item()` or a new `torch.tensor(…)`",
    "backward_twice": "each backward() frees the graph it went through: in a loop, run the "
    "forward pass again before each backward(); cut a state carried between steps off the old "
    "graph (an RNN's `h = h.detach()`); for two losses from one forward pass, "
    "`(loss1 + loss2).backward()`, or `retain_graph=True` on the first",
    "device_mismatch": "the model and the tensors it gets must be on one device: move both, "
    "`model.to(device)` and `x = x.to(device)`",
    "matrix_product_shapes": "a matrix product A @ B needs A's columns to equal B's rows: the "
    "left tensor's last dimension ({width}) must equal the right one's first ({inner})",
    "broadcast_shapes": "element-wise ops (+, -, *, /, …) broadcast their tensors: the shapes "
    "are compared from the last dimension, and each pair of sizes must be equal or one of them "
    "1; at dim={dim} (counted from 0, in the longer shape) one has {a} and the other {b}: "
    "compare their `.shape`s",
    "matmul_batch_shapes": "a batched matrix product (@, torch.matmul) multiplies the last two "
    "dimensions as matrices and broadcasts the ones before them, its batch dimensions, as "
    "element-wise ops do: each pair of batch sizes must be equal or one of them 1; at dim={dim} "
    "(counted from 0, in the longer shape) the left tensor has {a} and the right one {b}: "
    "compare their `.shape`s",
    "inplace_dtype": "an in-place op writes its result into the tensor itself, whose dtype "
    "({other}) cannot hold the Float result: make a new tensor, `{fix}`, or make it float first "
    "with `.float()`",
    "embedding_indices": "an nn.Embedding looks up one row of its table per index, so its input "
    "holds whole numbers (token ids), Long (int64) or Int, not {got}: use `.long()` on it; for "
    "inputs that are measurements rather than ids, nn.Linear is the layer",
    "attention_kdim": "an nn.MultiheadAttention's {name} must have the last dimension it was "
    "built with, its {dim} (embed_dim where {dim} is not given), here {expected}, but this "
    "{name}'s is {got}: give a {name} whose last dimension is {expected}, or build the layer "
    "with {dim}={got}",
    "attention_embed_dim": "an nn.MultiheadAttention built with no kdim or vdim (or with both "
    "its embed_dim) needs a key and value whose last dimension is its embed_dim, here {inner}, "
    "but theirs is {width}: give a key and value of last dimension {inner}, or build the layer "
    "with kdim={width}, vdim={width}",
    "attention_query_width": "an nn.MultiheadAttention's query must have the last dimension it "
    "was built with, its embed_dim (a Transformer layer's d_model), here {expected}, but this "
    "query's is {got}: give a query of shape (length, batch, {expected}), or (batch, length, "
    "{expected}) for a layer built with batch_first=True, or build the layer with "
    "embed_dim={got} (which its num_heads must divide)",
    "attention_key_value_widths": "an nn.MultiheadAttention built with no kdim or vdim (or with "
    "both its embed_dim) needs a key and value of one last dimension, its embed_dim (the "
    "query's), but this key's is {key_width} and this value's {value_width}: give a key and "
    "value whose last dimension is the query's, or build the layer with kdim={key_width}, "
    "vdim={value_width}",
    "attention_key_value_lengths": "an nn.MultiheadAttention takes one value for each key, so "
    "its key and value must have the same length and batch size (all but their last "
    "dimension), but this key's are {key_length} and {key_batch} and this value's "
    "{value_length} and {value_batch}: give a value as long as its key, in a batch of the same "
    "size",
    "attention_key_batch": "an nn.MultiheadAttention attends from each query sequence to the key "
    "and value at the same place in the batch, so its key's and value's batch size must be its "
    "query's, here {query_batch}, but theirs is {key_batch}: give a key and value of batch size "
    "{query_batch} (at dimension 1, or 0 for a layer built with batch_first=True)",
    "attention_batched_mix": "an nn.MultiheadAttention's query, key and value must all be "
    "batched, 3-D ((length, batch, features), or batch first for one built with "
    "batch_first=True), or all unbatched, 2-D (length, features), with the query's features its "
    "embed_dim, the key's its kdim and the value's its vdim (embed_dim where not given), but "
    "this query is {query_dims}-D, this key {key_dims}-D and this value {value_dims}-D: give "
    "them the same number of dimensions",
    # an attention error raised in torch's Transformer layer, said in its terms (its inputs)
    "transformer_d_model": "an nn.{layer}'s inputs (src; tgt and memory for a decoder) must all "
    "have the last dimension it was built with, its d_model, here {expected} "
    "(nn.{layer}(d_model={expected}, …)), but this {name}'s is {got}: give a {name} of last "
    "dimension {expected}, e.g. made so by an nn.Linear({got}, {expected})",
    "transformer_memory_batch": "a Transformer decoder layer attends from each sequence of tgt to "
    "the memory at the same place in the batch, so memory's batch size must be tgt's, here "
    "{tgt_batch}, but this memory's is {memory_batch}: give one memory for each tgt sequence, "
    "{tgt_batch} of them (at dimension 1, or 0 for a layer built with batch_first=True)",
    "transformer_src_tgt_batch": "an nn.Transformer pairs each src sequence with the tgt "
    "sequence at the same place in the batch, so their batch sizes must be equal (dimension "
    "{dim}, as it was built with batch_first={batch_first}), but src's is {src_batch} and tgt's "
    "{tgt_batch}: give it a src and a tgt of one batch size",
    "transformer_batch_first": "an nn.Transformer built with batch_first={batch_first} takes "
    "dimension {dim} of src and tgt for their batch, whose sizes must be equal, but src's is "
    "{src_batch} and tgt's {tgt_batch}, while at dimension {other} both are {other_size}: if "
    "dimension {other} is your batch, build it with batch_first={flipped}; else give it a src "
    "and a tgt of one batch size",
    "transformer_batched_mix": "an nn.{layer}'s tgt and {other} must both be batched, 3-D "
    "(length, batch, features, or batch first for one built with batch_first=True), or both "
    "unbatched, 2-D (length, features), but this tgt is {tgt_dims}-D and this {other} "
    "{other_dims}-D: give them the same number of dimensions",
    "layer_norm_shape": "an nn.LayerNorm normalises the last dimensions of its input, so the "
    "input's shape must end in its normalized_shape, here [{expected}], but this input's shape "
    "[{shape}] ends in [{got}]: a LayerNorm is built with the size of the features it "
    "normalises (the last dimension's, for nn.LayerNorm(features)), so build it with the size of "
    "what it is given, [{got}] here, or give it an input that ends in [{expected}]",
    "sequential_dict": "a dict is not a layer: pass nn.Sequential the layers themselves, "
    "`nn.Sequential(layer1, layer2)`, or, to name them, an OrderedDict "
    "(`from collections import OrderedDict`), not a plain dict",
    "sequential_list": "a list is not a layer: pass nn.Sequential the layers themselves, "
    "unpacking a list with `*`: `nn.Sequential(*layers)` (or keep them in an nn.ModuleList)",
    "sequential_keywords": "nn.Sequential takes its layers as positional arguments, "
    "`nn.Sequential(layer1, layer2)`, or, to name them, one OrderedDict of (name, layer) pairs "
    "(`from collections import OrderedDict`)",
    "module_dict_keywords": "nn.ModuleDict takes its layers in one argument, a dict of names to "
    "layers, not as keyword arguments: `nn.ModuleDict({{'encoder': layer1, 'decoder': layer2}})`; "
    "a list of (name, layer) pairs works too",
    # nn.ModuleList(layer1, layer2), and nn.ModuleList(layer): one list, however many layers
    "module_list_arguments": "nn.ModuleList takes one list of its layers, however many: "
    "`nn.ModuleList([layer1, layer2])`; nn.Sequential takes them one by one and runs them in order",
    # nn.ModuleDict([layer1, layer2]), nn.ModuleDict(layer), nn.ModuleDict(layer1, layer2)
    "module_dict_unnamed": "an nn.ModuleDict names its layers: pass a dict, "
    "`nn.ModuleDict({{'fc': layer1, 'act': layer2}})`, or use an nn.ModuleList",
    "module_class_not_instance": "`{name}` is the class itself, not a module: pass an instance, "
    "`{name}()`, with its arguments if it takes any",
    # code that raised while a thread it started ran on, stopped waiting for it (finalize)
    "thread_left_running": 'the thread "{thread}" your code started was still running, so the '
    "run waited for it until it was stopped",
    "thread_left_running_at_line": 'the thread "{thread}" your code started was still running '
    "(at line {thread_line}), so the run waited for it until it was stopped",
    # the same, stopped by the output cap (after the error's own hint, in place of the sandbox's
    # environment notes: the output is cut); not the code thread_output_limit, where the code
    # had finished
    "raised_thread_output_limit": 'the thread "{thread}" your code started was still running, '
    "and the run printed more than {kb} KB of output as it waited for it, so it was stopped and "
    "the output cut there",
    "raised_thread_output_limit_at_line": 'the thread "{thread}" your code started was still '
    "running (at line {thread_line}), and the run printed more than {kb} KB of output as it "
    "waited for it, so it was stopped and the output cut there",
}
"""Advice added to a learner's exception, by ``hint_code``."""


def error(
    kind: str,
    message: str,
    tb: str = "",
    line: int | None = None,
    *,
    code: str | None = None,
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A :class:`RunError` as the dict it travels as. ``code``/``params`` only for a message the
    sandbox words itself."""
    return asdict(RunError(kind, message, tb, line, code=code, params=params or {}))


UNREPORTED = 70
"""The exit code of a run's process that could not send its result (it prints why on its
stderr): the run closed or replaced the sandbox's result pipe."""


def run_died(
    *,
    signal_number: int | None = None,
    exit_code: int | None = None,
    out_of_memory: bool = False,
) -> dict[str, Any]:
    """The error of a run whose process died without reporting: killed by ``signal_number``, or
    exited with ``exit_code`` (``os._exit``, or :data:`UNREPORTED`). A forked CPU run dies alone;
    a run in the in-process (CUDA) worker takes the worker with it, and is told the same words.

    A SIGKILL is blamed on memory only with ``out_of_memory``, the system's word that it killed
    a process for want of memory meanwhile (:func:`sandbox.limits.ran_out_of_memory`): anyone
    may send one, the run's own code too."""
    if signal_number is not None:
        params = {"signal": signal_description(signal_number), "name": signal_name(signal_number)}
        text = f"the run crashed: {params['signal']}"
        if signal_number == signal.SIGKILL and out_of_memory:
            text += "; the system ran out of memory"
            return error("Crashed", text, code="killed", params=params)
        return error("Crashed", text, code="crashed_signal", params=params)
    if exit_code == UNREPORTED:
        return error(
            "Crashed",
            "the run's result could not be sent back (did the code close or write to the "
            "sandbox's own pipes?)",
            code="unreported",
        )
    return error(
        "Crashed",
        f"the process exited with code {exit_code} before the run finished (os._exit?)",
        code="exited",
        params={"exit_code": exit_code},
    )


def add_hint(err: dict[str, Any], hint_code: str, **params: Any) -> dict[str, Any]:
    """Add the advice :data:`HINTS` names ``hint_code`` to the error dict ``err`` (in place),
    with the ``params`` its words name (a line: ``tab_line``), kept for the UI's languages."""
    hint = HINTS[hint_code].format(**params)
    err["message"] = message_with_hint(err["message"], hint)
    err["hint"] = hint
    err["hint_code"] = hint_code
    if params:
        err["params"] = params
    return err


def _stopped_here(traceback: str) -> str:
    """The frames of a run the sandbox stopped, without the ``KeyboardInterrupt`` line that
    ends them: that is how the sandbox stops a run, not what the learner's code raised."""
    lines = traceback.rstrip("\n").split("\n")
    if lines and lines[-1] == "KeyboardInterrupt":
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def _stopped_in_check(child: dict[str, Any] | None) -> dict[str, Any]:
    """Where the learner's code was (``line``, ``traceback``) when the worker stopped the run in
    its check (the check calling the learner's function that loops), as the runner noted it
    with the check's interrupted outcome; ``{}`` where it was not noted (the check's own code)."""
    check = (child or {}).get("check")
    params = check.get("params") if isinstance(check, dict) else None
    stopped = params.get("stopped") if isinstance(params, dict) else None
    return stopped if isinstance(stopped, dict) and stopped.get("line") else {}


def _where_stopped(child: dict[str, Any] | None) -> dict[str, Any]:
    """Where the run was (``line``, ``traceback``) as the worker's interrupt stopped it (out of
    time, or its output over the cap): in the learner's code, whose error is then that
    interrupt, or in the check's call into it; ``{}`` where neither says."""
    child_error = (child or {}).get("error") or {}
    if child_error.get("type") == "KeyboardInterrupt":
        return child_error
    return _stopped_in_check(child)


def finalize(
    child: dict[str, Any] | None,
    *,
    reason: str | None,
    timeout: float | None,
    limits: Limits,
    device: str,
    crash: dict[str, Any] | None = None,
    has_check: bool = False,
    left_running: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Merge the runner's partial result with the worker's view.

    ``reason`` is why the worker stopped the run ("timeout", "not_begun", "cancelled", "output",
    "oom", "shutdown") or ``None``; it wins over whatever the run reported (a KeyboardInterrupt we sent is
    a timeout, not an error). ``child`` is ``None`` when the run died without reporting: a crash,
    described by ``crash`` (an :func:`error` dict) when the worker knows more than that.
    ``left_running``: the thread the run's finished code left running, which the worker was
    waiting for as it stopped the run (:func:`sandbox.runner.thread_whereabouts`); a timeout, or
    the output cap, then names it and its line. The code's value stays: it had finished, and a
    notebook shows it. So had its check (it runs before that wait): its verdict stands, but a
    pass is no pass, the run having not ended (:data:`CHECK_PASSED_THREAD_RUNNING`). Code that
    raised before that wait keeps its own error, the thread noted on it (:func:`_thread_noted`).
    """
    result: dict[str, Any] = {
        "status": "crashed",
        "value": None,
        "error": None,
        "trace": [],
        "trace_warnings": [],
        "trace_truncated": False,
        "device": device,
        "check": None,
    }
    if child is not None:
        result.update(child)
    stopped_waiting = bool(left_running) and reason in ("timeout", "output")
    # code that raised, then waited for its thread: the learner's own error is what they need
    # (Python prints it, then waits), the thread it left running a note on it (below)
    raised = stopped_waiting and _code_raised(child)
    stopped = None if raised else reason
    if stopped == "timeout":
        result["status"] = "timeout"
        result["error"] = _stopped_error(
            "Timeout",
            f"the run took longer than {timeout:g} s and was stopped",
            "timeout",
            {"seconds": timeout},
            child,
            left_running,
        )
    elif stopped == "not_begun":
        result["status"] = "timeout"
        waited = round((timeout or 0) + limits.start_allowance_s, 6)
        result["error"] = error(
            "Timeout",
            f"the run had not begun after {waited:g} s (is the machine very busy?), "
            "so it was stopped before any of its code ran",
            code="not_begun",
            params={"seconds": waited},
        )
    elif stopped in ("cancelled", "shutdown"):
        result["status"] = "cancelled"
        result["error"] = error("Cancelled", "the run was cancelled", code="cancelled")
    elif stopped == "output":
        kb = limits.output_bytes // 1024
        result["status"] = "error"
        result["error"] = _stopped_error(
            "OutputLimitExceeded",
            f"the run printed more than {kb} KB of output, "
            "so it was stopped and the output cut there",
            "output_limit",
            {"kb": kb},
            child,
            left_running,
        )
    elif stopped == "oom":
        result["status"] = "oom"
        result["error"] = error(
            "OutOfMemory",
            f"the run used more than {limits.memory_mb} MB",
            code="memory_limit",
            params={"mb": limits.memory_mb},
        )
    elif child is None:
        result["status"] = "crashed"
        result["error"] = crash or error("Crashed", "the run crashed", code="crashed")
    elif result["status"] == "oom" and result.get("error"):
        result["error"] = dict(result["error"])
        detail = result["error"]["message"]
        if device == "cpu":
            budget, code = f"{limits.memory_mb} MB", "out_of_memory"
            params: dict[str, Any] = {"mb": limits.memory_mb, "detail": detail}
        else:
            budget, code, params = "its share of the GPU", "out_of_memory_gpu", {"detail": detail}
        result["error"]["message"] = f"out of memory (a run may use {budget})" + (
            f": {detail}" if detail else ""
        )
        result["error"].update(code=code, params=params)
    if raised and left_running:
        result["error"] = _thread_noted(
            result["error"],
            left_running,
            limits.output_bytes // 1024 if reason == "output" else None,
        )
    if has_check and stopped_waiting and result.get("check") is not None:
        # the check had finished before the wait (its own failure, or "did not run to the end"
        # of code that raised, stays as it came)
        if result["check"].get("passed"):
            result["check"] = {"passed": False, "message": CHECK_PASSED_THREAD_RUNNING}
    elif has_check and (result["status"] != "ok" or result.get("check") is None):
        result["check"] = {"passed": False, "message": _not_checked(child, reason)}
    return result


def _code_raised(child: dict[str, Any] | None) -> bool:
    """Whether the run's code ended in an error of its own (before any wait for its threads):
    not ``sys.exit()``, nor anything else the sandbox words with a ``code``; after those the
    code had finished, as Python has it (it waits for the threads then, as at a script's end)."""
    if child is None or child.get("status") == "ok":
        return False
    child_error = child.get("error")
    return bool(child_error) and not child_error.get("code")


_ENVIRONMENT_NOTES = frozenset(
    {"no_stdin", "no_debugger", "no_cuda_here", "dataloader_worker", "dataloader_main"}
)
"""The :data:`HINTS` that note what a run in the sandbox has not (a keyboard, a CUDA GPU, a
DataLoader worker's way to this file): no fix of the learner's error, but why it was raised."""


def _thread_noted(
    err: dict[str, Any], left_running: dict[str, Any], output_kb: int | None
) -> dict[str, Any]:
    """``err``, the learner's error, noting the thread ``left_running`` (as :func:`finalize` has
    it) that the run waited for until it was stopped: as its advice, where it has none of its own
    (which comes first); or, the run stopped by the output cap of ``output_kb``
    KB, as its advice after the fix of the error it has (a torch error's hint, a NameError's
    import: its code and params kept as ``earlier_hint_code`` and ``earlier_hint_params``), in
    place of a note of the sandbox's own (:data:`_ENVIRONMENT_NOTES`, ``no_stdin``): the cap is
    why the output ends where it does."""
    if output_kb is not None:
        hint_code, params = "raised_thread_output_limit", {"kb": output_kb}
        if err.get("hint_code") and err["hint_code"] not in _ENVIRONMENT_NOTES:
            params |= {
                "earlier_hint_code": err["hint_code"],
                "earlier_hint_params": err.get("params") or {},
            }
        else:
            err = _without_hint(err)
    elif err.get("hint_code"):
        return dict(err)
    else:
        hint_code, params = "thread_left_running", {}
    if left_running["line"]:
        hint_code, params = f"{hint_code}_at_line", {**params, "thread_line": left_running["line"]}
    return add_hint(dict(err), hint_code, thread=left_running["thread"], **params)


def _without_hint(err: dict[str, Any]) -> dict[str, Any]:
    """``err`` (a copy) without the advice :func:`add_hint` gave it, its message as it was."""
    hint = err.get("hint")
    if not hint:
        return dict(err)
    message = message_before_hint(err["message"], hint)  # one not ending in it stays whole
    return {**err, "message": message, "hint": "", "hint_code": None, "params": {}}


def thread_name(name: str) -> str:
    """``name``, a thread's, as a message names it: on one line (each line break a space: one
    would split the message) and at most :data:`MAX_THREAD_NAME_CHARS` characters, cut with
    :data:`CLIP_NOTE` within them. What it gives comes back unchanged, given again: the worker
    refuses a report whose name is not so (:func:`sandbox.worker.read_report`), which the
    learner's code forged."""
    line = " ".join(name.splitlines())
    if len(line) <= MAX_THREAD_NAME_CHARS:
        return line
    kept = MAX_THREAD_NAME_CHARS - len(CLIP_NOTE.format(count=len(line)))  # the longest note
    return line[:kept] + CLIP_NOTE.format(count=len(line) - kept)


def _stopped_error(
    kind: str,
    stopped: str,
    code: str,
    params: dict[str, Any],
    child: dict[str, Any] | None,
    left_running: dict[str, Any] | None,
) -> dict[str, Any]:
    """The error (its type ``kind``, ``code``, and ``params`` naming the limit) of a run the
    worker ``stopped`` (how, in words) with an interrupt (see :func:`finalize`): it names the
    line of the learner's code the interrupt stopped, with its frames, where the run reported
    one; or, its code finished, the thread ``left_running`` it was waiting for and that thread's
    line and frames (its code ``thread_`` + ``code``)."""
    if left_running:
        thread, line = left_running["thread"], left_running["line"]
        where = f" (at line {line})" if line else ""
        return error(
            kind,
            f'{stopped}: your code had finished, but the thread "{thread}" it started was still '
            f"running{where}",
            left_running["traceback"],
            line,
            code=f"thread_{code}",
            params={**params, "thread": thread, "line": line},
        )
    stopped_at = _where_stopped(child)
    line = stopped_at.get("line")
    where = f" (stopped at line {line})" if line else ""
    return error(
        kind,
        f"{stopped}{where}",
        _stopped_here(str(stopped_at.get("traceback") or "")) if stopped_at else "",
        line,
        code=code,
        params={**params, "line": line},
    )


def _not_checked(child: dict[str, Any] | None, reason: str | None) -> dict[str, str]:
    """Why a run's check gave no verdict. A run that reported its code "ok" with a check outcome
    here (one stopped waiting for a thread, its check finished, is not: see :func:`finalize`) was
    in its check when the worker stopped it, the check reporting the interrupt as its failure
    (its params note where: ``stopped``): out of time, that is most often the learner's function
    the check called, not the check's own doing."""
    if reason == "output":
        return CHECK_FLOODED
    code_finished = child is not None and child.get("status") == "ok" and child.get("check")
    return CHECK_TIMED_OUT if reason == "timeout" and code_finished else NOT_CHECKED
