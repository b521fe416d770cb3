namespace Engine.Ops;

/// <summary>
/// One SGD step as <c>torch.optim.SGD</c> takes it: g = grad + weightDecay param; with momentum,
/// buf = momentum buf + (1 - dampening) g (buf = g on the first step) and g = nesterov ? g + momentum buf : buf;
/// then param -= learningRate g.
/// </summary>
internal readonly record struct SgdRule(double LearningRate, double Momentum, double Dampening, double WeightDecay, bool Nesterov, bool FirstStep);

/// <summary>
/// One Adam step as <c>torch.optim.Adam</c> (or, with decoupled weight decay, <c>AdamW</c>) takes it at step t &gt;= 1:
/// with L2 decay g = grad + weightDecay param, with decoupled decay param *= 1 - learningRate weightDecay;
/// m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2,
/// param -= learningRate / (1 - beta1^t) m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
/// </summary>
internal readonly record struct AdamRule(double LearningRate, double Beta1, double Beta2, double Eps, double WeightDecay, bool Decoupled, long Step);
