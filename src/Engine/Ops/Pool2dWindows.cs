namespace Engine.Ops;

/// <summary>
/// The windows of a pool along one axis of length <see cref="Size"/>: output o reads taps Starts[o] + i Step for
/// i &lt; Taps[o], skipping those outside [0, Size); an average divides by Divisors[o] (times the other axis's).
/// </summary>
internal sealed record PoolAxis(int Size, int[] Starts, int[] Taps, int Step, int[] Divisors)
{
    public int Outputs => Starts.Length;

    /// <summary>Whether every tap of window <paramref name="o"/> lies inside the input.</summary>
    public bool Inside(int o) => Starts[o] >= 0 && Starts[o] + (Taps[o] - 1) * Step < Size;

    /// <summary>
    /// The taps of window <paramref name="o"/> inside the input: from the first one at or after 0, by <see cref="Step"/>,
    /// below the returned end. Every window has at least one (the constructors reject windows of padding only).
    /// </summary>
    public (int From, int To) Reach(int o)
    {
        int start = Starts[o], first = start >= 0 ? start : start + (-start + Step - 1) / Step * Step;
        return (first, Math.Min(start + (Taps[o] - 1) * Step + 1, Size));
    }

    /// <summary>
    /// Sliding windows, as PyTorch's max_pool2d and avg_pool2d place them: output o starts at o stride - padding; in
    /// ceil mode a last partial window is kept when it starts inside the input or its left padding. The divisor counts
    /// the taps inside the padded extent (<paramref name="countIncludePad"/>) or inside the input.
    /// </summary>
    public static PoolAxis Sliding(string op, string axis, int size, int kernel, int stride, int padding, int dilation, bool ceilMode, bool countIncludePad)
    {
        if (kernel < 1 || stride < 1 || dilation < 1 || padding < 0)
            throw new ArgumentException($"{op}: kernel {kernel}, stride {stride} and dilation {dilation} must be positive and padding {padding} non-negative ({axis})");
        int extent = dilation * (kernel - 1) + 1;
        if (2 * padding > extent)
            throw new ArgumentException($"{op}: padding {padding} should be at most half of the kernel extent {extent} ({axis})");
        int span = size + 2 * padding - extent;
        if (span < 0)
            throw new ArgumentException($"{op}: the kernel extent {extent} is larger than the padded input {size + 2 * padding} ({axis})");
        int outputs = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (outputs - 1) * stride >= size + padding) outputs--;
        var starts = new int[outputs];
        var divisors = new int[outputs];
        for (int o = 0; o < outputs; o++)
        {
            int start = o * stride - padding;
            if (!Enumerable.Range(0, kernel).Any(i => (uint)(start + i * dilation) < (uint)size))
                throw new ArgumentException($"{op}: window {o} ({axis}) covers only padding: taps {start}, {start + dilation}, ... outside [0, {size})");
            starts[o] = start;
            divisors[o] = countIncludePad
                ? Math.Min(start + extent, size + padding) - start
                : Math.Min(start + extent, size) - Math.Max(start, 0);
        }
        return new PoolAxis(size, starts, Enumerable.Repeat(kernel, outputs).ToArray(), dilation, divisors);
    }

    /// <summary>Adaptive windows, as <c>adaptive_avg_pool2d</c> places them: [floor(o size / n), ceil((o + 1) size / n)).</summary>
    public static PoolAxis Adaptive(string op, string axis, int size, int outputs)
    {
        if (outputs < 1) throw new ArgumentException($"{op}: output size must be positive, got {outputs} ({axis})");
        var starts = new int[outputs];
        var taps = new int[outputs];
        for (int o = 0; o < outputs; o++)
        {
            starts[o] = (int)((long)o * size / outputs);
            taps[o] = (int)(((long)(o + 1) * size + outputs - 1) / outputs) - starts[o];
        }
        return new PoolAxis(size, starts, taps, 1, taps);
    }
}

/// <summary>The windows of a 2-D pool over the last two axes of [N, C, H, W].</summary>
internal sealed record Pool2dWindows(PoolAxis Rows, PoolAxis Columns);
