using Engine.Autodiff;

namespace Engine.Tests.Autodiff;

/// <summary>(r, theta) -> (r cos theta, r sin theta): two inputs, two outputs, backward from saved inputs.</summary>
internal sealed class Polar : Function
{
    protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs)
    {
        var (r, theta) = (inputs[0], inputs[1]);
        context.SaveForBackward(r, theta);
        return [r * theta.Cos(), r * theta.Sin()];
    }

    protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> g)
    {
        var r = context.SavedTensors[0];
        var theta = context.SavedTensors[1];
        var (cos, sin) = (theta.Cos(), theta.Sin());
        return
        [
            context.NeedsInputGrad(0) ? g[0] * cos + g[1] * sin : null,
            context.NeedsInputGrad(1) ? (g[1] * cos - g[0] * sin) * r : null,
        ];
    }
}

/// <summary>
/// y = sin(x) * w, whose backward does not use a formula: it asks <see cref="Grad.Vjp"/> for the vector-Jacobian
/// product of the forward function, as the adjoint method does for its right-hand side. It passes
/// <see cref="Tape.IsGradEnabled"/> on as createGraph, so its gradient is differentiable again when the backward
/// pass is recorded.
/// </summary>
internal sealed class SinTimesWeightByVjp(Tensor weight) : Function
{
    protected override Tensor[] Forward(FunctionContext context, IReadOnlyList<Tensor> inputs)
    {
        context.SaveForBackward(inputs[0]);
        return [inputs[0].Sin() * weight];
    }

    protected override Tensor?[] Backward(FunctionContext context, IReadOnlyList<Tensor> gradOutputs)
    {
        var x = context.SavedTensors[0];
        var (_, vjps) = Grad.Vjp(xs => [xs[0].Sin() * weight], [x], [gradOutputs[0]], createGraph: Tape.IsGradEnabled);
        return [vjps[0]];
    }
}
