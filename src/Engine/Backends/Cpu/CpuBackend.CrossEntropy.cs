using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void CrossEntropy(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing,
        BufferView loss, BufferView rowWeight, BufferView logSumExp)
    {
        if (logits.DType == DType.F32) CrossEntropyOf<float>(logits, labels, weight, ignoreIndex, smoothing, loss, rowWeight, logSumExp, default, default, forward: true);
        else CrossEntropyOf<double>(logits, labels, weight, ignoreIndex, smoothing, loss, rowWeight, logSumExp, default, default, forward: true);
    }

    public void CrossEntropyGradient(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing,
        BufferView logSumExp, BufferView gradLoss, BufferView gradLogits)
    {
        if (logits.DType == DType.F32) CrossEntropyOf<float>(logits, labels, weight, ignoreIndex, smoothing, default, default, logSumExp, gradLoss, gradLogits, forward: false);
        else CrossEntropyOf<double>(logits, labels, weight, ignoreIndex, smoothing, default, default, logSumExp, gradLoss, gradLogits, forward: false);
    }

    private static void CrossEntropyOf<T>(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing,
        BufferView loss, BufferView rowWeight, BufferView logSumExp, BufferView gradLoss, BufferView gradLogits, bool forward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = logits.Shape[1];
        long rows = logits.Shape[0];
        if (rows == 0) return;
        var job = new CrossEntropyJob<T>
        {
            Logits = Address<T>(logits, logits.Offset),
            Labels = (byte*)labels.Storage.Pointer + labels.Offset * labels.DType.ElementSize(),
            LabelStride = labels.Strides[0],
            WideLabels = labels.DType == DType.I64,
            Weight = weight is { } w ? Address<T>(w, w.Offset) : null,
            WeightSum = weight is { } ws ? SumOf<T>(Address<T>(ws, ws.Offset), classes) : classes,
            IgnoreIndex = ignoreIndex,
            Smoothing = smoothing,
            Rows = rows,
            Classes = classes,
            Forward = forward,
            Loss = forward ? Address<T>(loss, loss.Offset) : null,
            RowWeight = forward ? Address<T>(rowWeight, rowWeight.Offset) : null,
            LogSumExp = Address<T>(logSumExp, logSumExp.Offset),
            GradLoss = forward ? null : Address<T>(gradLoss, gradLoss.Offset),
            GradLogits = forward ? null : Address<T>(gradLogits, gradLogits.Offset),
        };
        int parts = ParallelPolicy.Parts(rows * classes, 12);
        job.RowsPerPart = (rows + parts - 1) / parts;
        WorkerPool.Run(ref job, (int)((rows + job.RowsPerPart - 1) / job.RowsPerPart));
    }

    private static double SumOf<T>(T* p, int n) where T : unmanaged, IFloatingPointIeee754<T> =>
        double.CreateTruncating(TensorPrimitives.Sum(new ReadOnlySpan<T>(p, n)));

    /// <summary>One pass per row over the logits, forward (loss, row weight, log-sum-exp) or backward (gradient row).</summary>
    private struct CrossEntropyJob<T> : IParallelJob where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Logits, Weight, Loss, RowWeight, LogSumExp, GradLoss, GradLogits;
        public byte* Labels;
        public long LabelStride, IgnoreIndex, Rows, RowsPerPart;
        public bool WideLabels, Forward;
        public double WeightSum, Smoothing;
        public int Classes;

        public void Execute(int part)
        {
            long last = Math.Min(Rows, (part + 1) * RowsPerPart);
            for (long r = part * RowsPerPart; r < last; r++)
            {
                long label = WideLabels ? ((long*)Labels)[r * LabelStride] : ((int*)Labels)[r * LabelStride];
                bool counted = label != IgnoreIndex;
                if (counted && (ulong)label >= (ulong)Classes)
                    throw new IndexOutOfRangeException($"CrossEntropy: label {label} in row {r} is outside [0, {Classes}) and is not the ignored index {IgnoreIndex}");
                if (Forward) ForwardRow(r, label, counted);
                else BackwardRow(r, label, counted);
            }
        }

        private readonly void ForwardRow(long r, long label, bool counted)
        {
            var x = new ReadOnlySpan<T>(Logits + r * Classes, Classes);
            T max = TensorPrimitives.Max(x);
            double lse = double.CreateTruncating(max) + Math.Log(FastExp.SumOfShiftedExp(Logits + r * Classes, max, Classes));
            LogSumExp[r] = T.CreateTruncating(lse);
            if (!counted)
            {
                Loss[r] = T.Zero;
                RowWeight[r] = T.Zero;
                return;
            }
            double wy = Weight is null ? 1 : double.CreateTruncating(Weight[label]);
            double loss = (1 - Smoothing) * wy * (lse - double.CreateTruncating(x[(int)label]));
            if (Smoothing > 0)
            {
                double weighted = Weight is null
                    ? double.CreateTruncating(TensorPrimitives.Sum(x))
                    : double.CreateTruncating(TensorPrimitives.Dot(x, new ReadOnlySpan<T>(Weight, Classes)));
                loss += Smoothing / Classes * (WeightSum * lse - weighted);
            }
            Loss[r] = T.CreateTruncating(loss);
            RowWeight[r] = T.CreateTruncating(wy);
        }

        private readonly void BackwardRow(long r, long label, bool counted)
        {
            var grad = new Span<T>(GradLogits + r * Classes, Classes);
            if (!counted)
            {
                grad.Clear();
                return;
            }
            double g = double.CreateTruncating(GradLoss[r]);
            double wy = Weight is null ? 1 : double.CreateTruncating(Weight[label]);
            double share = Smoothing / Classes;
            FastExp.ShiftedExp(Logits + r * Classes, LogSumExp[r], GradLogits + r * Classes, Classes);
            TensorPrimitives.Multiply(grad, T.CreateTruncating(g * ((1 - Smoothing) * wy + share * WeightSum)), grad);
            if (Smoothing > 0)
            {
                if (Weight is null) TensorPrimitives.Subtract(grad, T.CreateTruncating(g * share), grad);
                else TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(Weight, Classes), T.CreateTruncating(-g * share), grad, grad);
            }
            grad[(int)label] -= T.CreateTruncating(g * (1 - Smoothing) * wy);
        }
    }
}
