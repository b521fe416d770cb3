"""The GPU workloads of bench/Engine.GpuBench in PyTorch, timed the same way (CUDA events around single calls after
warm-up, median of 41), written as the same CSV columns so bench/gpu/compare.py can pair the rows.

    python3 torch_bench.py [--quick] [--csv torch.csv]
"""
import argparse
import math
import statistics

import torch


def workloads(scale):
    m16, m256 = (16 << 20) // scale, (256 << 20) // scale
    rows, matrix = max(1, 65536 // scale), max(64, int(4096 / math.sqrt(scale)))
    return [
        ("copy", "Bytes", 2.0 * 4 * m256, lambda: copy(m256)),
        ("add_16M", "Bytes", 3.0 * 4 * m16, lambda: rotating(m16, 2, lambda x: x[0] + x[1])),
        ("add_256M", "Bytes", 3.0 * 4 * m256, lambda: rotating(m256, 2, lambda x: x[0] + x[1])),
        ("tanh_16M", "Bytes", 2.0 * 4 * m16, lambda: rotating(m16, 1, lambda x: torch.tanh(x[0]))),
        ("tanh_256M", "Bytes", 2.0 * 4 * m256, lambda: rotating(m256, 1, lambda x: torch.tanh(x[0]))),
        ("sum_256M", "Bytes", 4.0 * m256, lambda: rotating(m256, 1, lambda x: x[0].sum())),
        ("softmax_65536x1024", "Bytes", 2.0 * 4 * rows * 1024, lambda: matrix_call(rows, 1024, lambda x: torch.softmax(x, -1))),
        ("matmul_4096_f32", "Flops", 2.0 * matrix ** 3, lambda: matmul(matrix, tf32=False)),
        ("matmul_4096_tf32", "Flops", 2.0 * matrix ** 3, lambda: matmul(matrix, tf32=True)),
    ] + conv_workloads(scale > 1)


def conv_workloads(quick):
    """bench/Engine.GpuBench/ConvWorkloads.cs: conv3x3 N=32 C=64->64 32x32 and a ResNet basic block, flops of the convolutions."""
    n, c, size = (1, 8, 8) if quick else (32, 64, 32)
    conv = 2.0 * n * c * size * size * c * 9
    return [
        ("conv3x3_fwd", "Flops", conv, lambda: conv_forward(n, c, size)),
        ("conv3x3_fwd_bwd", "Flops", 3 * conv, lambda: conv_forward_backward(n, c, size)),
        ("basicblock_fwd_bwd", "Flops", 6 * conv, lambda: basic_block(n, c, size)),
    ]


def use_cudnn_like_the_engine():
    # The engine searches cuDNN's algorithms once per geometry, takes only deterministic ones and keeps F32 out of TF32.
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.allow_tf32 = False


def conv_forward(n, c, size):
    use_cudnn_like_the_engine()
    x, w = randn(n, c, size, size), randn(c, c, 3, 3) * 0.05
    return lambda: torch.nn.functional.conv2d(x, w, padding=1)


def conv_forward_backward(n, c, size):
    use_cudnn_like_the_engine()
    x, w = randn(n, c, size, size).requires_grad_(), (randn(c, c, 3, 3) * 0.05).requires_grad_()
    gy = randn(n, c, size, size)
    return lambda: torch.autograd.grad(torch.nn.functional.conv2d(x, w, padding=1), [x, w], gy)


def basic_block(n, c, size):
    use_cudnn_like_the_engine()
    F = torch.nn.functional
    x = randn(n, c, size, size).requires_grad_()
    w1, w2 = (randn(c, c, 3, 3) * 0.05).requires_grad_(), (randn(c, c, 3, 3) * 0.05).requires_grad_()
    params = [w1, w2] + [torch.full((c,), v, device="cuda").requires_grad_() for v in (1.0, 0.0, 1.0, 0.0)]
    running = [torch.full((c,), v, device="cuda") for v in (0.0, 1.0, 0.0, 1.0)]
    gy = randn(n, c, size, size)

    def run():
        h = F.relu(F.batch_norm(F.conv2d(x, w1, padding=1), running[0], running[1], params[2], params[3], training=True))
        y = F.batch_norm(F.conv2d(h, w2, padding=1), running[2], running[3], params[4], params[5], training=True)
        return torch.autograd.grad(F.relu(y + x), params + [x], gy)

    return run


def randn(*shape):
    return torch.randn(*shape, device="cuda", dtype=torch.float32)


def copy(n):
    source, target = randn(n), torch.zeros(n, device="cuda")
    return lambda: target.copy_(source)


def rotating(n, arity, call):
    sets = max(1, math.ceil(256 * (1 << 20) / (4 * n * arity)))
    inputs = [[randn(n) for _ in range(arity)] for _ in range(sets)]
    state = {"next": 0}

    def run():
        x = inputs[state["next"] % sets]
        state["next"] += 1
        return call(x)

    return run


def matrix_call(rows, columns, call):
    x = randn(rows, columns)
    return lambda: call(x)


def matmul(n, tf32):
    a, b = randn(n, n), randn(n, n)

    def run():
        torch.backends.cuda.matmul.allow_tf32 = tf32
        return a @ b

    return run


def median_ms(call, warmup, repetitions):
    for _ in range(warmup):
        call()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(repetitions):
        start.record()
        call()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--csv")
    args = parser.parse_args()
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}")
    rows = ["workload,unit,work,median_ms,rate"]
    for name, unit, work, prepare in workloads(1024 if args.quick else 1):
        call = prepare()
        ms = median_ms(call, 1 if args.quick else 5, 3 if args.quick else 41)
        torch.backends.cuda.matmul.allow_tf32 = False
        rate = work / (ms * 1e-3) / (1e9 if unit == "Bytes" else 1e12)
        print(f"{name:<22} {ms:9.3f} ms {rate:9.1f} {'GB/s' if unit == 'Bytes' else 'TFLOP/s'}")
        rows.append(f"{name},{unit},{work},{ms},{rate}")
        del call
        torch.cuda.empty_cache()
    if args.csv:
        with open(args.csv, "w") as out:
            out.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
