package http

// ShapeVisits counts the selections the shape limit has measured.
var ShapeVisits = &shapeVisits
