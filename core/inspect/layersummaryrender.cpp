#include "layersummary.h"

#include <cmath>

namespace tfjs {

namespace {

// JSON.stringify(node.inputShapes) / layer.outputShape as TF.js prints them.
QString shapesText(const std::optional<Shapes> &shapes, bool unwrapSingle)
{
    if (!shapes)
        return QStringLiteral("?");
    if (unwrapSingle && shapes->size() == 1)
        return QString::fromStdString(shapeText((*shapes)[0]));
    QStringList parts;
    for (const Shape &shape : *shapes)
        parts << QString::fromStdString(shapeText(shape));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

// tfjs-layers layer_utils.printRow
QString tfjsRow(const QStringList &fields, const std::vector<int> &positions)
{
    QString line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            line.chop(1);
            line += QLatin1Char(' ');
        }
        line += fields[i];
        line.truncate(positions[std::size_t(i)]);
        line += QString(positions[std::size_t(i)] - line.size(), QLatin1Char(' '));
    }
    return line;
}

} // namespace

Json LayerRow::toJson() const
{
    Json json = Json::object();
    json["name"] = name;
    json["className"] = className;
    json["trainable"] = trainable;
    Json inputs = Json::array();
    for (const auto &node : nodeInputs)
        inputs.push_back(shapesToJson(node));
    json["inputShapes"] = inputs;
    json["outputShapes"] = outputMultiple ? Json("multiple") : shapesToJson(output);
    json["params"] = params;
    json["trainableParams"] = trainableParams;
    json["nonTrainableParams"] = nonTrainableParams;
    json["inbound"] = inbound;
    json["weights"] = weights;
    json["layers"] = toJsonArray(layers);
    return json;
}

Json LayersSummary::toJson() const
{
    Json json = Json::object();
    json["className"] = className;
    json["name"] = name;
    json["sequentialLike"] = sequentialLike;
    json["inputs"] = inputs;
    json["outputs"] = outputs;
    json["inputShapes"] = shapesToJson(inputShapes);
    json["outputShapes"] = shapesToJson(outputShapes);
    json["layers"] = toJsonArray(rows);
    Json totals = Json::object();
    totals["total"] = totalParams;
    totals["trainable"] = trainableParams;
    totals["nonTrainable"] = nonTrainableParams;
    json["params"] = totals;
    json["unassignedWeights"] = unassignedWeights;
    json["unassignedParams"] = unassignedParams;
    json["unusedLayers"] = unusedLayers;
    json["notes"] = notes;
    return json;
}

QStringList LayersSummary::tfjsSummaryLines() const
{
    const int lineLength = sequentialLike ? 90 : 115;
    const std::vector<double> relative = sequentialLike ? std::vector<double>{0.32, 0.61, 0.89, 1}
                                                        : std::vector<double>{0.24, 0.48, 0.70, 0.80, 1};
    std::vector<int> positions;
    for (const double p : relative)
        positions.push_back(int(std::floor(lineLength * p)));
    QStringList header = {QStringLiteral("Layer (type)"), QStringLiteral("Input Shape"),
                          QStringLiteral("Output shape"), QStringLiteral("Param #")};
    if (!sequentialLike)
        header << QStringLiteral("Receives inputs");
    QStringList lines;
    lines << QString(lineLength, QLatin1Char('_')) << tfjsRow(header, positions)
          << QString(lineLength, QLatin1Char('='));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const LayerRow &row = rows[i];
        QStringList inputs;
        for (const auto &node : row.nodeInputs)
            inputs << shapesText(node, false);
        const QString output = row.outputMultiple ? QStringLiteral("multiple")
                                                  : shapesText(row.output, true);
        QStringList fields = {QString::fromStdString(row.name + " (" + row.className + ")"),
                              inputs.join(QLatin1Char(',')), output, QString::number(row.params)};
        if (sequentialLike) {
            lines << tfjsRow(fields, positions);
        } else {
            fields << (row.inbound.empty() ? QString() : QString::fromStdString(row.inbound[0]));
            lines << tfjsRow(fields, positions);
            for (std::size_t c = 1; c < row.inbound.size(); ++c) {
                lines << tfjsRow({QString(), QString(), QString(), QString(),
                                  QString::fromStdString(row.inbound[c])},
                                 positions);
            }
        }
        lines << QString(lineLength, i + 1 == rows.size() ? QLatin1Char('=') : QLatin1Char('_'));
    }
    lines << QStringLiteral("Total params: %1").arg(totalParams)
          << QStringLiteral("Trainable params: %1").arg(trainableParams)
          << QStringLiteral("Non-trainable params: %1").arg(nonTrainableParams)
          << QString(lineLength, QLatin1Char('_'));
    return lines;
}

} // namespace tfjs
