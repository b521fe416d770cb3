using Engine.Ops;

namespace Engine;

public static partial class Functional
{
    /// <summary>
    /// Maximum over sliding windows of the last two axes of <paramref name="input"/> [N, C, H, W], like
    /// <c>torch.nn.functional.max_pool2d</c>; the stride defaults to the kernel size. The gradient goes to the element
    /// each maximum came from (the first on ties).
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, Size2d? dilation = null,
        bool ceilMode = false)
    {
        const string op = "MaxPool2d";
        CheckImage(op, input);
        var windows = SlidingWindows(op, input, kernelSize, stride ?? kernelSize, padding ?? 0, dilation ?? 1, ceilMode, countIncludePad: true);
        return Pooling.Max(input, windows);
    }

    /// <summary>
    /// Average over sliding windows of the last two axes of <paramref name="input"/> [N, C, H, W], like
    /// <c>torch.nn.functional.avg_pool2d</c>; the stride defaults to the kernel size, and padded positions count in the
    /// divisor when <paramref name="countIncludePad"/>.
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, bool ceilMode = false,
        bool countIncludePad = true)
    {
        const string op = "AvgPool2d";
        CheckImage(op, input);
        var windows = SlidingWindows(op, input, kernelSize, stride ?? kernelSize, padding ?? 0, 1, ceilMode, countIncludePad);
        return Pooling.Average(input, windows);
    }

    /// <summary>
    /// Average over <paramref name="outputSize"/> windows that tile the last two axes of <paramref name="input"/>
    /// [N, C, H, W], like <c>torch.nn.functional.adaptive_avg_pool2d</c>; an output size of 1 is the global average pool.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, Size2d outputSize)
    {
        const string op = "AdaptiveAvgPool2d";
        CheckImage(op, input);
        var windows = new Pool2dWindows(
            PoolAxis.Adaptive(op, "height", input.Dims[2], outputSize.Height),
            PoolAxis.Adaptive(op, "width", input.Dims[3], outputSize.Width));
        return Pooling.Average(input, windows);
    }

    private static Pool2dWindows SlidingWindows(string op, Tensor input, Size2d kernel, Size2d stride, Size2d padding, Size2d dilation,
        bool ceilMode, bool countIncludePad) => new(
        PoolAxis.Sliding(op, "height", input.Dims[2], kernel.Height, stride.Height, padding.Height, dilation.Height, ceilMode, countIncludePad),
        PoolAxis.Sliding(op, "width", input.Dims[3], kernel.Width, stride.Width, padding.Width, dilation.Width, ceilMode, countIncludePad));

    private static void CheckImage(string op, Tensor input)
    {
        OpChecks.Floating(op, input);
        if (input.Rank != 4 || input.NumElements == 0)
            throw new ArgumentException($"{op}: expected a non-empty input [N, C, H, W], got {OpChecks.Describe(input)}");
    }
}
