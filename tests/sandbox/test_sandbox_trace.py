"""The hook tracer, through real runs."""

from __future__ import annotations

import textwrap

import pytest

from sandbox import TRACE_KEYS


def code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


MLP = code(
    """
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    x = torch.randn(16, 4)
    loss = model(x).pow(2).mean()
    loss.backward()
    """
)


def names(events, phase):
    return [e["module"] for e in events if e["phase"] == phase]


def test_keys_and_order(sb):
    r = sb.run(MLP, trace=True)
    assert r.status == "ok", r.error
    assert r.trace
    for event in r.trace:
        assert tuple(event) == TRACE_KEYS
    assert names(r.trace, "forward") == ["0", "1", "2", "Sequential"]
    backward = [n for n in names(r.trace, "backward") if n != "Sequential"]
    assert backward == ["2", "1", "0"]
    first = r.trace[0]
    assert first["type"] == "Linear" and first["shape"] == [16, 8]
    assert first["dtype"] == "float32" and first["device"] == "cpu"
    relu = r.trace[1]
    assert 0.0 <= relu["zero_frac"] <= 1.0 and relu["min"] == 0.0
    assert first["norm"] > 0 and first["std"] > 0
    assert first["has_nan"] is False and first["has_inf"] is False
    assert not r.trace_truncated


def test_backward_agrees_with_autograd(sb):
    r = sb.run(
        code(
            """
            torch.manual_seed(1)
            model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
            kept = []
            model[0].register_forward_hook(lambda m, i, o: [o.retain_grad(), kept.append(o)] and None)
            model(torch.randn(5, 4)).sum().backward()
            (kept[0].grad.norm().item(), kept[0].grad.mean().item())
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    norm, mean = eval(r.value)
    event = next(e for e in r.trace if e["phase"] == "backward" and e["module"] == "0")
    assert abs(event["norm"] - norm) <= 1e-5 * max(1.0, norm)
    assert abs(event["mean"] - mean) <= 1e-6
    assert event["shape"] == [5, 8]


def test_inplace_relu(sb):
    r = sb.run(
        code(
            """
            torch.manual_seed(0)
            model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(inplace=True), nn.Linear(8, 1))
            model(torch.randn(6, 4)).sum().backward()
            model[0].weight.grad.norm().item() > 0
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    assert r.value == "True"
    assert names(r.trace, "forward")[:3] == ["0", "1", "2"]
    assert {"0", "1", "2"} <= set(names(r.trace, "backward"))


def test_lstm_and_attention_tuple_outputs_and_kwargs(sb):
    r = sb.run(
        code(
            """
            lstm = nn.LSTM(input_size=3, hidden_size=5, batch_first=True)
            out, (h, c) = lstm(torch.randn(2, 7, 3))
            mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
            q = torch.randn(2, 4, 8)
            attn, weights = mha(query=q, key=q, value=q)
            (attn.sum() + out.sum()).backward()
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    fwd = {e["module"]: e for e in r.trace if e["phase"] == "forward"}
    assert fwd["LSTM"]["shape"] == [2, 7, 5]  # the first tensor: the output sequence
    assert fwd["MultiheadAttention"]["shape"] == [2, 4, 8]  # attn_output, called with kwargs only
    assert {"LSTM", "MultiheadAttention"} <= set(names(r.trace, "backward"))


def test_failing_forward_keeps_trace_up_to_failure(sb):
    r = sb.run(
        code(
            """
            model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(5, 2))
            x = torch.randn(3, 4)
            y = model(x)
            """
        ),
        trace=True,
    )
    assert r.status == "error"
    assert r.error.line == 3
    assert names(r.trace, "forward") == ["0", "1"]
    failure = [w for w in r.trace_warnings if w["kind"] == "forward_error"]
    assert failure and failure[0]["module"] == "2"
    assert "(3, 8)" in failure[0]["message"]


def test_nested_qualified_names(sb):
    r = sb.run(
        code(
            """
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.encoder = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())
                    self.head = nn.Linear(2, 1)

                def forward(self, x):
                    return self.head(self.encoder(x).mean((2, 3)))

            Net()(torch.randn(1, 1, 5, 5))
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    assert names(r.trace, "forward") == ["encoder.0", "encoder.1", "encoder", "head", "Net"]


def test_warnings_dead_relu_nan_exploding(sb):
    r = sb.run(
        code(
            """
            relu = nn.ReLU()
            relu(-torch.ones(4, 10))
            lin = nn.Linear(3, 2)
            lin(torch.tensor([[1.0, float('nan'), 0.0]]))
            big = nn.Linear(2, 2)
            x = torch.ones(1, 2, requires_grad=True)
            (big(x) * 1e6).sum().backward()
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    kinds = {w["kind"]: w for w in r.trace_warnings}
    assert kinds["dead_relu"]["module"] == "ReLU"
    # the NaN came with lin's input: the first NaN event's warning says so
    nan = kinds["nan_input"]
    assert nan["module"] == "Linear" and nan["phase"] == "forward"
    assert kinds["exploding_grad"]["phase"] == "backward"
    nan_event = next(e for e in r.trace if e["has_nan"])
    assert nan_event["mean"] is None  # not finite -> None, so the JSON stays valid
    r.to_json()


def test_shapes_only_mode(sb):
    r = sb.run(MLP, trace="shapes")
    assert r.status == "ok"
    assert r.trace and all(e["mean"] is None and e["norm"] is None for e in r.trace)
    assert r.trace[0]["shape"] == [16, 8]


def test_event_cap(sb):
    r = sb.run(
        "m = nn.Identity()\nx = torch.ones(1)\nfor _ in range(2500):\n    m(x)", trace="shapes"
    )
    assert r.status == "ok"
    assert r.trace_truncated
    assert len(r.trace) == sb.limits.max_trace_events
    assert any(w["kind"] == "truncated" for w in r.trace_warnings)


def test_no_trace_by_default(sb):
    r = sb.run(MLP)
    assert r.trace == [] and r.trace_warnings == []


@pytest.mark.parametrize("mode", ["shapes", "stats"])
def test_a_trace_of_no_module_call_says_why_it_is_empty(sb, mode):
    # F.relu and tensor ops are functions, not modules: a learner tracing them sees why the
    # trace is empty, instead of nothing at all
    r = sb.run("x = torch.randn(4)\nF.relu(x * 2).sum()", trace=mode)
    assert r.status == "ok", r.error
    assert r.trace == []
    assert [w["kind"] for w in r.trace_warnings] == ["no_modules"]
    assert "nn.Module" in r.trace_warnings[0]["message"]
    # ones: randn(4) is all negative, a dead ReLU's warning, in 1 run of 16 (a CI flake)
    r = sb.run("nn.ReLU()(torch.ones(4))", trace=mode)
    assert [w["kind"] for w in r.trace_warnings] == []


def test_jit_trace_under_the_tracer(sb):
    # torch.jit.trace records its example call: the tracer stays out of that graph (its sizes are
    # tensors there) and traces the traced module's later calls as usual.
    r = sb.run(
        code(
            """
            traced = torch.jit.trace(nn.Linear(2, 2), torch.ones(2))
            traced(torch.ones(2)).sum().backward()
            [p.grad.shape for p in traced.parameters()]
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    assert r.value == "[torch.Size([2, 2]), torch.Size([2])]"
    assert names(r.trace, "backward")
    assert all(isinstance(e["mean"], float) for e in r.trace)


def test_saving_a_traced_output_says_nothing_of_the_tracers_hook(sb, tmp_path):
    path = tmp_path / "y.pt"
    r = sb.run(f"y = nn.Linear(2, 2)(torch.ones(2))\ntorch.save(y, {str(path)!r})", trace=True)
    assert r.status == "ok", r.error
    assert path.exists()
    assert "hook" not in r.stderr, r.stderr
