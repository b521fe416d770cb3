using System.Numerics;
using Engine.Ops;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void SgdUpdate(BufferView parameter, BufferView gradient, BufferView? momentumBuffer, SgdRule rule)
    {
        if (parameter.DType == DType.F32) SgdUpdateOf<float>(parameter, gradient, momentumBuffer, rule);
        else SgdUpdateOf<double>(parameter, gradient, momentumBuffer, rule);
    }

    private static void SgdUpdateOf<T>(BufferView parameter, BufferView gradient, BufferView? momentumBuffer, SgdRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(rule.LearningRate), momentum = T.CreateTruncating(rule.Momentum);
        T decay = T.CreateTruncating(rule.WeightDecay), keep = T.CreateTruncating(1 - rule.Dampening);
        bool hasMomentum = momentumBuffer is not null, nesterov = rule.Nesterov, first = rule.FirstStep;
        var buffer = momentumBuffer ?? parameter;
        T* p = (T*)parameter.Storage.Pointer, g = (T*)gradient.Storage.Pointer, b = (T*)buffer.Storage.Pointer;
        StridedLoop.Run(parameter.Shape, [parameter, gradient, buffer], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
            {
                ref T value = ref p[o[0] + i * s[0]];
                T step = g[o[1] + i * s[1]] + decay * value;
                if (hasMomentum)
                {
                    ref T velocity = ref b[o[2] + i * s[2]];
                    velocity = first ? step : momentum * velocity + keep * step;
                    step = nesterov ? step + momentum * velocity : velocity;
                }
                value -= lr * step;
            }
        });
    }

    public void AdamUpdate(BufferView parameter, BufferView gradient, BufferView expAvg, BufferView expAvgSq, AdamRule rule)
    {
        if (parameter.DType == DType.F32) AdamUpdateOf<float>(parameter, gradient, expAvg, expAvgSq, rule);
        else AdamUpdateOf<double>(parameter, gradient, expAvg, expAvgSq, rule);
    }

    private static void AdamUpdateOf<T>(BufferView parameter, BufferView gradient, BufferView expAvg, BufferView expAvgSq, AdamRule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T beta1 = T.CreateTruncating(rule.Beta1), beta2 = T.CreateTruncating(rule.Beta2);
        T oneMinusBeta1 = T.CreateTruncating(1 - rule.Beta1), oneMinusBeta2 = T.CreateTruncating(1 - rule.Beta2);
        T stepSize = T.CreateTruncating(rule.LearningRate / (1 - Math.Pow(rule.Beta1, rule.Step)));
        T correction2 = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(rule.Beta2, rule.Step)));
        T eps = T.CreateTruncating(rule.Eps);
        T l2 = rule.Decoupled ? T.Zero : T.CreateTruncating(rule.WeightDecay);
        T shrink = T.CreateTruncating(rule.Decoupled ? 1 - rule.LearningRate * rule.WeightDecay : 1);
        T* p = (T*)parameter.Storage.Pointer, g = (T*)gradient.Storage.Pointer, m = (T*)expAvg.Storage.Pointer, v = (T*)expAvgSq.Storage.Pointer;
        StridedLoop.Run(parameter.Shape, [parameter, gradient, expAvg, expAvgSq], (o, n, s) =>
        {
            for (long i = 0; i < n; i++)
            {
                ref T value = ref p[o[0] + i * s[0]];
                ref T first = ref m[o[2] + i * s[2]];
                ref T second = ref v[o[3] + i * s[3]];
                T grad = g[o[1] + i * s[1]] + l2 * value;
                value *= shrink;
                first = beta1 * first + oneMinusBeta1 * grad;
                second = beta2 * second + oneMinusBeta2 * grad * grad;
                value -= stepSize * first / (T.Sqrt(second) / correction2 + eps);
            }
        });
    }
}
