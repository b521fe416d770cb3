using Engine.Random;
using Xunit;

namespace Engine.Tests.Random;

/// <summary>Capturing and restoring a generator's position; thread safety; distinct per-thread defaults.</summary>
public class GeneratorStateTests
{
    [Fact]
    public void Restoring_a_captured_state_replays_the_same_numbers()
    {
        using var scope = TensorScope.Begin();
        var generator = new Generator(99);
        Tensor.Rand([7], generator: generator);
        var state = generator.GetState();
        var first = Tensor.Randn([10], DType.F64, generator).ToArray<double>();
        Tensor.Rand([3], generator: generator);
        generator.SetState(state);
        Assert.Equal(first, Tensor.Randn([10], DType.F64, generator).ToArray<double>());
        var other = new Generator(1);
        other.SetState(state);
        Assert.Equal(first, Tensor.Randn([10], DType.F64, other).ToArray<double>());
    }

    [Fact]
    public void Run_and_rewind_puts_back_every_generator_the_body_drew_from_even_when_it_throws()
    {
        using var scope = TensorScope.Begin();
        var explicitGenerator = new Generator(5);
        Tensor.Rand([6], generator: explicitGenerator);
        var untouched = new Generator(6);
        var before = (explicitGenerator.GetState(), Generator.Default.GetState(), untouched.GetState());
        var expectedExplicit = Tensor.Randn([4], DType.F64, explicitGenerator).ToArray<double>();
        var expectedDefault = Tensor.Randn([4], DType.F64).ToArray<double>();
        explicitGenerator.SetState(before.Item1);
        Generator.Default.SetState(before.Item2);

        Generator.RunAndRewind(() =>
        {
            Tensor.Rand([9], generator: explicitGenerator);
            Functional.Dropout(Tensor.Randn([3]), 0.5);
            Generator.RunAndRewind(() => Tensor.Rand([2], generator: explicitGenerator));
            Tensor.Rand([5], generator: explicitGenerator);
        });
        Assert.Equal(before, (explicitGenerator.GetState(), Generator.Default.GetState(), untouched.GetState()));
        Assert.Equal(expectedExplicit, Tensor.Randn([4], DType.F64, explicitGenerator).ToArray<double>());
        Assert.Equal(expectedDefault, Tensor.Randn([4], DType.F64).ToArray<double>());

        var state = explicitGenerator.GetState();
        Assert.Throws<InvalidOperationException>(() => Generator.RunAndRewind(() =>
        {
            Tensor.Rand([9], generator: explicitGenerator);
            throw new InvalidOperationException("inside");
        }));
        Assert.Equal(state, explicitGenerator.GetState());
    }

    [Fact]
    public void Recorded_positions_replay_what_the_body_drew_and_an_enclosing_record_sees_nested_draws()
    {
        using var scope = TensorScope.Begin();
        var first = new Generator(8);
        var second = new Generator(9);
        Tensor.Rand([3], generator: second);
        var before = (first.GetState(), second.GetState());
        GeneratorPositions inner = null!;
        var values = Generator.Record(() =>
        {
            var a = Tensor.Randn([4], DType.F64, first).ToArray<double>();
            var b = Generator.Record(() => Tensor.Randn([4], DType.F64, second).ToArray<double>(), out inner);
            return a.Concat(b).ToArray();
        }, out var outer);
        Assert.Equal([(second, before.Item2)], inner.Entries);
        Assert.Equal([(first, before.Item1), (second, before.Item2)], outer.Entries);
        outer.Restore();
        Assert.Equal(values, Tensor.Randn([4], DType.F64, first).ToArray<double>().Concat(Tensor.Randn([4], DType.F64, second).ToArray<double>()));
        Assert.Equal(1, Generator.Record(() => 1, out var none));
        Assert.Empty(none.Entries);
    }

    [Fact]
    public void Concurrent_draws_take_disjoint_counters()
    {
        var generator = new Generator(3);
        Parallel.For(0, 1000, _ =>
        {
            using var scope = TensorScope.Begin();
            Tensor.Rand([8], generator: generator);
        });
        Assert.Equal(2000UL, generator.Offset);
    }

    [Fact]
    public void Threads_get_default_generators_with_distinct_seeds()
    {
        ulong Seed() => Generator.Default.Seed;
        var seeds = new ulong[4];
        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() => seeds[i] = Seed())).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal(4, seeds.Distinct().Count());
    }
}
