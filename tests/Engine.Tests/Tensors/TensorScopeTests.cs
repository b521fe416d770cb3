using Xunit;

namespace Engine.Tests.Tensors;

/// <summary>A scope disposes the tensors created inside it, except those kept for the enclosing scope; scopes nest.</summary>
public class TensorScopeTests
{
    [Fact]
    public void DisposesWhatWasCreatedInside()
    {
        var before = Tensor.Ones([2]);
        Tensor created, result, view;
        using (var scope = TensorScope.Begin())
        {
            created = Tensor.Ones([2]);
            result = created + before;
            view = before.Transpose(0, 0);
            Assert.Equal(3, scope.Count);
        }
        Assert.True(created.IsDisposed);
        Assert.True(result.IsDisposed);
        Assert.True(view.IsDisposed);
        Assert.False(before.IsDisposed);
        Assert.Equal([1f, 1f], before.ToArray<float>());
        before.Dispose();
    }

    [Fact]
    public void KeepMovesATensorToTheEnclosingScope()
    {
        Tensor kept, dropped;
        using (var outer = TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin())
            {
                kept = inner.Keep(Tensor.Ones([2]) * 3);
                dropped = Tensor.Ones([2]);
                Assert.Same(inner, TensorScope.Current);
            }
            Assert.Same(outer, TensorScope.Current);
            Assert.True(dropped.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal([3f, 3f], kept.ToArray<float>());
            Assert.Equal(1, outer.Count);
        }
        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void KeepInTheOutermostScopeLeavesTheTensorToTheCaller()
    {
        var previous = TensorScope.Current;
        Tensor kept;
        using (var scope = TensorScope.Begin())
            kept = scope.Keep(Tensor.Ones([1]));
        Assert.Same(previous, TensorScope.Current);
        Assert.False(kept.IsDisposed);
        kept.Dispose();
    }

    [Fact]
    public void NestedScopesDisposeInnermostFirst()
    {
        using var outer = TensorScope.Begin();
        var a = Tensor.Ones([1]);
        Tensor b;
        using (TensorScope.Begin())
        {
            b = Tensor.Ones([1]);
            using (TensorScope.Begin())
                Tensor.Ones([1]);
            Assert.False(b.IsDisposed);
        }
        Assert.True(b.IsDisposed);
        Assert.False(a.IsDisposed);
    }

    [Fact]
    public void TensorsDisposedByHandAreFine()
    {
        Tensor x;
        using (var scope = TensorScope.Begin())
        {
            x = Tensor.Ones([1]);
            x.Dispose();
            Assert.Equal(0, scope.Count);
        }
        Assert.True(x.IsDisposed);
    }

    [Fact]
    public void ScopesMustEndInReverseOrder()
    {
        var outer = TensorScope.Begin();
        var inner = TensorScope.Begin();
        Assert.Throws<InvalidOperationException>(outer.Dispose);
        inner.Dispose();
        Assert.Same(outer, TensorScope.Current);
        outer.Dispose();
    }
}
