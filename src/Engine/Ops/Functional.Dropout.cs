using Engine.Random;

namespace Engine;

public static partial class Functional
{
    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales the rest by 1 / (1 - p) in training
    /// (the identity otherwise), like <c>torch.nn.functional.dropout</c>. The mask comes from
    /// <paramref name="generator"/>'s Philox stream (the thread's default generator when null): element i is kept when
    /// the uniform value <see cref="Tensor.Rand"/> would draw for it is at least p, so a seed fixes the mask on every device.
    /// </summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null) =>
        input.Dropout(p, training, generator);
}
