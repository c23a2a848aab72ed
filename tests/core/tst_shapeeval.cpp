#include "inspect/shapeeval.h"
#include "kerastestutil.h"

#include <QTest>

using namespace tfjs;
using namespace tfjs::keras;
using namespace tfjs::test;

namespace {

// "[null,3];[null,4]" or "?" when unknown.
std::string text(const std::optional<Shapes> &shapes)
{
    if (!shapes)
        return "?";
    std::string out;
    for (const Shape &shape : *shapes)
        out += (out.empty() ? "" : ";") + shapeText(shape);
    return out;
}

constexpr std::string_view kChain = R"({"class_name":"Model","config":{"name":"m","layers":[
    {"name":"in","class_name":"InputLayer","config":{"batch_input_shape":[null,8],"name":"in"},"inbound_nodes":[]},
    {"name":"d","class_name":"Dense","config":{"units":16,"name":"d"},"inbound_nodes":[[["in",0,0,{}]]]},
    {"name":"odd","class_name":"NoSuchLayer","config":{"name":"odd"},"inbound_nodes":[[["d",0,0,{}]]]},
    {"name":"after","class_name":"ReLU","config":{"name":"after"},"inbound_nodes":[[["odd",0,0,{}]]]},
    {"name":"ghost_user","class_name":"ReLU","config":{"name":"ghost_user"},"inbound_nodes":[[["ghost",0,0,{}]]]}],
    "input_layers":[["in",0,0]],"output_layers":[["d",0,0],["after",0,0]]}})";

} // namespace

class TestShapeEval : public QObject
{
    Q_OBJECT

private slots:
    void shapesFlowFromTheInputs();
    void unknownWhereARuleOrReferenceIsMissing();
    void inputsReplaceTheDeclaredShapes();
    void nestedModelOnTheShapesItReceives();
    void cycleIsUnknown();
};

void TestShapeEval::shapesFlowFromTheInputs()
{
    const ParsedModel m(kChain);
    ShapeEval eval(*m, std::nullopt);
    QCOMPARE(text(eval.nodeInputs(0, 0)), std::string("[null,8]"));
    QCOMPARE(text(eval.nodeOutputs(0, 0)), std::string("[null,8]"));
    QCOMPARE(text(eval.nodeInputs(1, 0)), std::string("[null,8]"));
    QCOMPARE(text(eval.nodeOutputs(1, 0)), std::string("[null,16]"));
    QCOMPARE(text(eval.nodeOutputs(1, 5)), std::string("?")); // no such node
    const ShapeEval::Result result = eval.result();
    QCOMPARE(text(result.inputs), std::string("[null,8]"));
    QCOMPARE(text(result.outputs), std::string("?")); // one output is unknown: all are
}

void TestShapeEval::unknownWhereARuleOrReferenceIsMissing()
{
    const ParsedModel m(kChain);
    ShapeEval eval(*m, std::nullopt);
    QCOMPARE(text(eval.nodeInputs(2, 0)), std::string("[null,16]")); // its input is known
    QCOMPARE(text(eval.nodeOutputs(2, 0)), std::string("?")); // no rule for the class
    QCOMPARE(text(eval.nodeInputs(3, 0)), std::string("?"));
    QCOMPARE(text(eval.nodeOutputs(3, 0)), std::string("?"));
    QCOMPARE(text(eval.nodeInputs(4, 0)), std::string("?")); // names no layer
}

void TestShapeEval::inputsReplaceTheDeclaredShapes()
{
    const ParsedModel m(R"({"class_name":"Sequential","config":{"name":"s","layers":[
        {"class_name":"Dense","config":{"units":4,"name":"d1","batch_input_shape":[null,3]}},
        {"class_name":"Flatten","config":{"name":"f"}}]}})");
    QCOMPARE(text(ShapeEval::run(*m, std::nullopt, 0).outputs), std::string("[null,4]"));
    const ShapeEval::Result given = ShapeEval::run(*m, Shapes { { 7, 2, 3 } }, 0);
    QCOMPARE(text(given.inputs), std::string("[7,2,3]"));
    QCOMPARE(text(given.outputs), std::string("[7,8]"));
}

void TestShapeEval::nestedModelOnTheShapesItReceives()
{
    // The nested Sequential declares [null,3] but is applied to [null,5]: its use sees [null,5],
    // its own (internal) node the declared shape.
    const ParsedModel m(R"({"class_name":"Model","config":{"name":"outer","layers":[
        {"name":"x","class_name":"InputLayer","config":{"batch_input_shape":[null,5],"name":"x"},"inbound_nodes":[]},
        {"name":"inner","class_name":"Sequential","config":{"name":"inner","layers":[
            {"class_name":"Dense","config":{"units":4,"name":"in_d1","batch_input_shape":[null,3]}},
            {"class_name":"RepeatVector","config":{"n":2,"name":"rep"}}]},
         "inbound_nodes":[[["x",0,0,{}]]]}],
        "input_layers":[["x",0,0]],"output_layers":[["inner",1,0]]}})");
    ShapeEval eval(*m, std::nullopt);
    QCOMPARE(text(eval.nodeInputs(1, 0)), std::string("[null,3]"));
    QCOMPARE(text(eval.nodeOutputs(1, 0)), std::string("[null,2,4]"));
    QCOMPARE(text(eval.nodeInputs(1, 1)), std::string("[null,5]"));
    QCOMPARE(text(eval.nodeOutputs(1, 1)), std::string("[null,2,4]"));
    QCOMPARE(text(eval.result().outputs), std::string("[null,2,4]"));
}

void TestShapeEval::cycleIsUnknown()
{
    const ParsedModel m(R"({"class_name":"Model","config":{"name":"loop","layers":[
        {"name":"in","class_name":"InputLayer","config":{"batch_input_shape":[null,2],"name":"in"},"inbound_nodes":[]},
        {"name":"p","class_name":"Add","config":{"name":"p"},"inbound_nodes":[[["in",0,0,{}],["q",0,0,{}]]]},
        {"name":"q","class_name":"Dense","config":{"units":2,"name":"q"},"inbound_nodes":[[["p",0,0,{}]]]}],
        "input_layers":[["in",0,0]],"output_layers":[["q",0,0]]}})");
    const ShapeEval::Result result = ShapeEval::run(*m, std::nullopt, 0);
    QCOMPARE(text(result.inputs), std::string("[null,2]"));
    QCOMPARE(text(result.outputs), std::string("?"));
}

QTEST_APPLESS_MAIN(TestShapeEval)
#include "tst_shapeeval.moc"
